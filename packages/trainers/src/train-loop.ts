import { InvalidArgumentError, TrainingError } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import { CallbackList } from './callback-list.js';
import type { RunContext, StepLogs, TrainCallback } from './callbacks.js';
import { checkKeep, type CheckpointStore } from './checkpoint-store.js';
import { completedEpochs } from './completed-epochs.js';
import { tensorLeakGuard } from './leak-guard.js';
import { LoopRun } from './loop-run.js';
import type { TrainStep } from './train-step.js';

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
  else await run.refuseExistingRun();
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

