import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, createRandom, InvalidArgumentError, type Random } from '@dgm/core';
import { batches, type Batch, type BatchStream, type BatchStreamState, type Dataset } from '@dgm/data';
import { modelArtifacts } from '@dgm/models';
import type { RunContext, StepLogs } from './callbacks.js';
import type { Checkpoint } from './checkpoint-store.js';
import { completedEpochs } from './completed-epochs.js';
import { missingKernelError } from './missing-kernel.js';
import { loadWeightsInto } from './model-artifacts.js';
import type { LoopOptions } from './train-loop.js';
import type { StepValues, TrainStep } from './train-step.js';

/** The loop's own state in a checkpoint. */
interface LoopState {
  readonly step: number;
  readonly epoch: number;
  readonly seed: number;
  readonly batchSize: number;
  readonly random: ReturnType<Random['getState']>;
  readonly streams: Readonly<Record<string, BatchStreamState>>;
  /** What each stream reads, so that a run resumes on the same data (absent in older checkpoints). */
  readonly data?: Readonly<Record<string, string>>;
}

/** A dataset as a resumed run must find it again: its size, image shape and classes. */
const describeData = (dataset: Dataset) => `${dataset.count} images of ${dataset.shape.join('×')}${dataset.labels === undefined ? '' : ` in classes ${JSON.stringify(dataset.classNames)}`}`;

/** A run's streams, random source, step count and checkpoints. */
export class LoopRun {
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
      data: this.#dataDescriptions(),
    };
    const checkpoint: Checkpoint = { step: this.step, format, models, optimizers: snapshot.optimizers, state: { loop, step: snapshot.state }, ...(snapshot.documents === undefined ? {} : { documents: snapshot.documents }) };
    this.lastCheckpoint = await store.write(checkpoint, this.keep === undefined ? {} : { keep: this.keep });
    return this.lastCheckpoint;
  }

  #dataDescriptions(): Record<string, string> {
    return Object.fromEntries(this.options.streams.flatMap(([name, source]) => (source === undefined ? [] : [[name, describeData(source.dataset)]])));
  }

  /** A run that does not resume must not write into a store that holds another run's checkpoints (its own would be pruned, or mixed with them). */
  async refuseExistingRun(): Promise<void> {
    const { store, caller } = this.options;
    const latest = await store?.latest();
    if (latest === undefined) return;
    throw new CheckpointError(
      `${caller}: ${store?.location ?? 'the store'} already holds a run (its latest checkpoint: step ${latest.checkpoint.step}, ${latest.where}); resume: true continues it, or give a store of its own (another runDir) to start anew`,
    );
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
    const data = this.#dataDescriptions();
    const differences = [
      ...(loop.seed === seed ? [] : [`seed ${loop.seed}, not ${seed}`]),
      ...(loop.batchSize === this.options.batchSize ? [] : [`batch size ${loop.batchSize}, not ${this.options.batchSize}`]),
      ...Object.entries(loop.data ?? {})
        .filter(([name, saved]) => data[name] !== saved)
        .map(([name, saved]) => `${name === 'data' ? 'data' : `${name} data`} of ${saved}, not ${data[name] ?? 'none'}`),
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
