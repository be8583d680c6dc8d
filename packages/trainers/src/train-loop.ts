import * as tf from '@tensorflow/tfjs-core';
import { createRandom, InvalidArgumentError, CheckpointError, TrainingError, type Random } from '@dgm/core';
import { batches, type Batch, type BatchStream, type BatchStreamState, type Dataset } from '@dgm/data';
import { CallbackList } from './callback-list.js';
import type { RunContext, StepLogs, TrainCallback } from './callbacks.js';
import { checkKeep, type Checkpoint, type CheckpointStore } from './checkpoint-store.js';
import { completedEpochs } from './completed-epochs.js';
import { tensorLeakGuard } from './leak-guard.js';
import { missingKernelError } from './missing-kernel.js';
import { loadWeightsInto, modelArtifacts } from './model-artifacts.js';
import type { StepValues, TrainStep } from './train-step.js';

/** What to do on a non-finite number in a step's logs: 'stop' throws; rollback reloads the last checkpoint and scales the learning rates. */
export type NonFinitePolicy = 'stop' | { readonly rollback: { readonly learningRateFactor?: number; readonly maxRollbacks?: number } };

/** The options every trainer shares (and passes on to the loop). */
export interface RunOptions<C extends RunContext> {
  /** Training steps; or `epochs` over the data. */
  readonly steps?: number;
  readonly epochs?: number;
  /** Seed of the data order and of every draw of the run. Default 0. */
  readonly seed?: number;
  readonly callbacks?: readonly TrainCallback<C>[];
  /** Stops training after the current step, with a final checkpoint. */
  readonly signal?: AbortSignal;
  /** A time budget: training stops after the step during which it runs out (with a final checkpoint), and progress shows an ETA within it. */
  readonly minutes?: number;
  /** Where checkpoints go (`memoryStore()`, or `fileSystemStore` from the `/node` entry); a final one is written at the end, on abort and on stop(). */
  readonly store?: CheckpointStore;
  /** Continue from the store's latest checkpoint (same models, data and options). */
  readonly resume?: boolean;
  readonly onNonFinite?: NonFinitePolicy;
  /** Check that the number of live tensors stays flat from step to step. */
  readonly debug?: boolean;
}

export interface LoopOptions<C extends RunContext> extends RunOptions<C> {
  /** The trainer's name, for messages. */
  readonly caller: string;
  /** The checkpoint format this trainer writes and reads. */
  readonly format: string;
  readonly step: TrainStep;
  /** The data streams by name, in a fixed order (each draws its seed from the run's seed in turn); undefined ones draw too. */
  readonly streams: readonly (readonly [string, { readonly dataset: Dataset; readonly labels: boolean } | undefined])[];
  readonly batchSize: number;
  /** The trainer's context from the loop's. */
  readonly context: (base: RunContext) => C;
  /** Numbers added to the logs at the end of each epoch (e.g. validation). */
  readonly epochLogs?: () => Promise<Record<string, number>>;
}

export interface LoopResult {
  /** The last step completed. */
  readonly step: number;
  /** True when training stopped before its last step (signal, time budget or stop()). */
  readonly aborted: boolean;
  /** Why training ended: 'steps' (all done), 'signal', 'time' (the `minutes` budget) or 'stop' (a callback's stop()). */
  readonly stoppedBy: 'steps' | 'signal' | 'time' | 'stop';
  readonly logs: StepLogs | undefined;
  /** Where the last checkpoint lies, if any. */
  readonly checkpoint: string | undefined;
}

/** The loop's own state in a checkpoint. */
interface LoopState {
  readonly step: number;
  readonly epoch: number;
  readonly seed: number;
  readonly batchSize: number;
  readonly random: ReturnType<Random['getState']>;
  readonly streams: Readonly<Record<string, BatchStreamState>>;
}

/** Lets timers (an `AbortSignal.timeout`) and a browser tab's events run between steps. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The training loop under every trainer (keras' `fit`, stylegan2-ada's `training_loop`): it
 * owns the data streams, the step count and epochs, the callbacks, abort and stop(), the
 * non-finite guard and rollback, the leak guard and checkpoints; the step object does the
 * updates.
 */
export async function runLoop<C extends RunContext>(options: LoopOptions<C>): Promise<LoopResult> {
  const { caller, step: trainStep, seed = 0, signal, store, debug = false, minutes } = options;
  const endsAt = minutes === undefined ? undefined : performance.now() + minutes * 60_000;
  const run = new LoopRun(options);
  if (options.resume === true) await run.resume();
  const { startStep } = run;
  const totalSteps = options.steps ?? Math.ceil(((options.epochs ?? 1) * run.main().batchesPerEpoch) / trainStep.batchesPerStep);
  if (totalSteps < startStep) {
    throw new InvalidArgumentError(`${caller}: the checkpoint ${run.lastCheckpoint} is at step ${startStep}, past the ${totalSteps} steps asked; ask for more steps to continue it`);
  }
  let stopRequested = false;
  const context = options.context({
    store,
    startStep,
    totalSteps,
    batchSize: options.batchSize,
    seed,
    resumedFrom: options.resume === true ? run.lastCheckpoint : undefined,
    endsAt,
    checkpoint: () => run.checkpoint(),
    keepCheckpoints: (keep) => {
      checkKeep(keep, `${caller}: keepCheckpoints`);
      run.keep = keep;
    },
    stop: () => {
      stopRequested = true;
    },
  });
  const callbacks = new CallbackList(options.callbacks ?? []);
  const rollback = options.onNonFinite === undefined || options.onNonFinite === 'stop' ? undefined : options.onNonFinite.rollback;
  const checkLeaks = debug ? tensorLeakGuard(caller) : undefined;
  const stopReason = () => (signal?.aborted === true ? 'signal' : stopRequested ? 'stop' : endsAt !== undefined && performance.now() >= endsAt ? 'time' : undefined);
  let rollbacks = 0;
  let logs: StepLogs | undefined;

  // Rolling back needs a checkpoint from before the first bad step.
  if (rollback !== undefined && store !== undefined && run.lastCheckpoint === undefined) await run.checkpoint();
  await callbacks.trainBegin(context);
  while (run.step < totalSteps && stopReason() === undefined) {
    const epochBefore = completedEpochs(run.main());
    const stepLogs = await run.runStep(totalSteps);
    const bad = Object.entries(stepLogs).find(([, v]) => !Number.isFinite(v));
    if (bad !== undefined) {
      const where = `step ${run.step}: ${bad[0]} is ${bad[1]}`;
      if (rollback === undefined || run.lastCheckpoint === undefined || rollbacks >= (rollback.maxRollbacks ?? 3)) {
        const tail = rollback === undefined ? '' : ` after ${rollbacks} rollback(s)`;
        throw new TrainingError(`${caller}: non-finite loss at ${where}${tail}; last good checkpoint: ${run.lastCheckpoint ?? 'none (give a store)'}`);
      }
      rollbacks++;
      await run.resume();
      trainStep.scaleLearningRates(rollback.learningRateFactor ?? 0.5);
      continue;
    }
    logs = stepLogs;
    checkLeaks?.(run.step);
    logs = await callbacks.batchEnd(run.step, logs, context);
    if (logs['epoch']! > epochBefore) {
      if (options.epochLogs !== undefined) logs = { ...logs, ...(await options.epochLogs()) };
      await callbacks.epochEnd(epochBefore, logs, context);
    }
    await nextTask();
  }
  const stoppedBy = run.step >= totalSteps ? 'steps' : (stopReason() ?? 'steps');
  if (store !== undefined && (run.step > startStep || run.lastCheckpoint === undefined)) await run.checkpoint();
  await callbacks.trainEnd(logs, context);
  return { step: run.step, aborted: stoppedBy !== 'steps', stoppedBy, logs, checkpoint: run.lastCheckpoint };
}

/** A run's streams, random source, step count and checkpoints. */
class LoopRun {
  step = 0;
  startStep = 0;
  lastCheckpoint: string | undefined;
  /** Checkpoints kept, once a callback has asked (`checkpoints({ keep })`); else the store's own. */
  keep: number | undefined;
  #random: Random;
  readonly #seeds: Map<string, number>;
  #streams = new Map<string, BatchStream>();
  #iterators = new Map<string, AsyncIterator<Batch>>();

  constructor(private readonly options: LoopOptions<RunContext>) {
    const root = createRandom({ seed: options.seed ?? 0 });
    this.#seeds = new Map(options.streams.map(([name]) => [name, root.uint32()]));
    this.#random = root.fork();
    this.#open(undefined);
  }

  main(): BatchStream {
    return this.#streams.get('data')!;
  }

  #open(states: Readonly<Record<string, BatchStreamState>> | undefined): void {
    for (const [name, source] of this.options.streams) {
      if (source === undefined) continue;
      const state = states?.[name];
      const stream = batches({
        dataset: source.dataset,
        batchSize: Math.min(this.options.batchSize, source.dataset.count),
        dropRemainder: true,
        labels: source.labels,
        epochs: Infinity,
        seed: this.#seeds.get(name)!,
        ...(state === undefined ? {} : { state }),
      });
      this.#streams.set(name, stream);
      this.#iterators.set(name, stream[Symbol.asyncIterator]());
    }
  }

  /** One step, its numbers read at once, and the loop's own: step, epoch, ms, images/s. */
  async runStep(totalSteps: number): Promise<StepLogs> {
    const started = performance.now();
    const draw = async (name: string) => {
      const iterator = this.#iterators.get(name);
      if (iterator === undefined) throw new InvalidArgumentError(`${this.options.caller}: no data stream ${JSON.stringify(name)}`);
      return (await iterator.next()).value as Batch;
    };
    let ran: Awaited<ReturnType<TrainStep['run']>>;
    try {
      ran = await this.options.step.run({ draw, random: this.#random, step: this.step, totalSteps });
    } catch (error) {
      throw missingKernelError(error, this.options.caller) ?? error;
    }
    const { values, images } = ran;
    const numbers = await readValues(values);
    this.step++;
    const ms = performance.now() - started;
    return { step: this.step, epoch: completedEpochs(this.main()), ...numbers, ms, imagesPerSecond: (images * 1000) / ms };
  }

  async checkpoint(): Promise<string> {
    const { store, caller, format, step: trainStep } = this.options;
    if (store === undefined) throw new InvalidArgumentError(`${caller}: checkpoints need a store`);
    const snapshot = trainStep.snapshot();
    const models: Record<string, tf.io.ModelArtifacts> = {};
    for (const [name, model] of Object.entries(snapshot.models)) models[name] = await modelArtifacts(model);
    const loop: LoopState = {
      step: this.step,
      epoch: this.main().getState().epoch,
      seed: this.options.seed ?? 0,
      batchSize: this.options.batchSize,
      random: this.#random.getState(),
      streams: Object.fromEntries([...this.#streams].map(([name, stream]) => [name, stream.getState()])),
    };
    const checkpoint: Checkpoint = { step: this.step, format, models, optimizers: snapshot.optimizers, state: { loop, step: snapshot.state }, ...(snapshot.documents === undefined ? {} : { documents: snapshot.documents }) };
    this.lastCheckpoint = await store.write(checkpoint, this.keep === undefined ? {} : { keep: this.keep });
    return this.lastCheckpoint;
  }

  /** Continues from the store's latest checkpoint: models, optimizers, random source, streams and step. */
  async resume(): Promise<void> {
    const { store, caller, format, step: trainStep } = this.options;
    if (store === undefined) throw new InvalidArgumentError(`${caller}: resume needs a store`);
    const latest = await store.latest();
    if (latest === undefined) throw new CheckpointError(`${caller}: no checkpoint to resume from in ${store.location ?? 'the store'}`);
    const { checkpoint, where } = latest;
    if (checkpoint.format !== format) throw new CheckpointError(`${caller}: ${where} is a ${JSON.stringify(checkpoint.format)} checkpoint, not ${format}`);
    const { loop, step } = checkpoint.state as { loop: LoopState; step: unknown };
    const seed = this.options.seed ?? 0;
    const differences = [
      ...(loop.seed === seed ? [] : [`seed ${loop.seed}, not ${seed}`]),
      ...(loop.batchSize === this.options.batchSize ? [] : [`batch size ${loop.batchSize}, not ${this.options.batchSize}`]),
    ];
    if (differences.length > 0) throw new InvalidArgumentError(`${caller}: ${where} was trained with ${differences.join(' and ')}`);
    trainStep.checkResume?.(checkpoint, where, caller);
    for (const [name, model] of Object.entries(trainStep.snapshot().models)) loadWeightsInto(model, checkpoint.models[name], name);
    trainStep.restore(checkpoint.optimizers, step);
    this.#random = createRandom({ state: loop.random });
    this.#open(loop.streams);
    this.step = loop.step;
    this.startStep = loop.step;
    this.lastCheckpoint = where;
  }
}

/** A step's numbers: every scalar read in one transfer, then disposed. */
async function readValues(values: StepValues): Promise<Record<string, number>> {
  const entries = Object.entries(values);
  const scalars = entries.flatMap(([, v]) => (typeof v === 'number' ? [] : [v]));
  let read: number[] = [];
  if (scalars.length > 0) {
    const stacked = tf.stack(scalars);
    read = Array.from(await stacked.data());
    tf.dispose([stacked, ...scalars]);
  }
  let next = 0;
  return Object.fromEntries(entries.map(([name, v]) => [name, typeof v === 'number' ? v : read[next++]!]));
}
