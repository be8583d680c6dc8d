import type * as tfl from '@tensorflow/tfjs-layers';
import type { Logs } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import type { Gan, Vae } from '@dgm/models';
import type { CheckpointStore } from './checkpoint-store.js';

/** What every trainer shows its callbacks. */
export interface RunContext {
  /** Where the run's checkpoints go, if anywhere. */
  readonly store: CheckpointStore | undefined;
  /** The step training started from (0, or the checkpoint's step when resuming). */
  readonly startStep: number;
  readonly totalSteps: number;
  readonly batchSize: number;
  /** The run's seed. */
  readonly seed: number;
  /** Where the run was resumed from (a checkpoint's location), when it was. */
  readonly resumedFrom: string | undefined;
  /** When the `minutes` budget runs out, on `performance.now()`'s clock; undefined without one. */
  readonly endsAt: number | undefined;
  /** Writes a checkpoint of the current state now (needs a store); resolves to where it lies. */
  checkpoint(): Promise<string>;
  /** From now on, every checkpoint write of the run (the final one included) keeps the `keep` newest; default the store's own `keep`. */
  keepCheckpoints(keep: number): void;
  /** Ends training after the current step (with a final checkpoint, as an abort does). */
  stop(): void;
}

/** What callbacks can see and do during `trainGan`. */
export interface TrainContext extends RunContext {
  readonly gan: Gan;
  /** The EMA generator when `ema` is on, else undefined. */
  readonly ema: tfl.LayersModel | undefined;
  /** The averaged D when `discriminatorEma` is on, else undefined. */
  readonly discriminatorEma: tfl.LayersModel | undefined;
}

/** What callbacks can see and do during `trainVae`. */
export interface VaeContext extends RunContext {
  /** The VAE or CVAE being trained (its spec names the data's classes, when it has labels). */
  readonly vae: Vae;
  /** The training images, as given (not binarized). */
  readonly data: Dataset;
}

/** What callbacks can see and do during `trainClassifier`. */
export interface ClassifierContext extends RunContext {
  readonly model: tfl.LayersModel;
}

/** The numbers of one step: step, epoch, the losses and their terms, ms and images/s. */
export type StepLogs = Logs;

/**
 * Training callbacks, with tfjs-layers' names. Each may be async; training waits for it.
 * `progressBar`, `jsonlLog` and `checkpoints` work with every trainer (`TrainCallback<RunContext>`).
 */
export interface TrainCallback<C extends RunContext = TrainContext> {
  onTrainBegin?(context: C): void | Promise<void>;
  /** May return numbers to add to the step's logs (for the callbacks after it, and the result), e.g. `metrics`' scores. */
  onBatchEnd?(step: number, logs: StepLogs, context: C): void | StepLogs | Promise<void | StepLogs>;
  onEpochEnd?(epoch: number, logs: StepLogs, context: C): void | Promise<void>;
  onTrainEnd?(logs: StepLogs | undefined, context: C): void | Promise<void>;
}
