import type * as tfl from '@tensorflow/tfjs-layers';
import type { Logs } from '@dgm/core';
import type { Gan } from '@dgm/models';

/** What callbacks can see and do during `trainGan`. */
export interface TrainContext {
  readonly gan: Gan;
  /** The EMA generator when `ema` is on, else undefined. */
  readonly ema: tfl.LayersModel | undefined;
  readonly runDir: string | undefined;
  /** The step training started from (0, or the checkpoint's step when resuming). */
  readonly startStep: number;
  readonly totalSteps: number;
  readonly batchSize: number;
  /** The run's seed (for fixed sample latents). */
  readonly seed: number;
  /** Writes a checkpoint of the current state now (needs runDir); resolves to its folder. */
  checkpoint(): Promise<string>;
  /** Ends training after the current step (with a final checkpoint, as an abort does). */
  stop(): void;
}

/** The numbers of one step: step, epoch, dLoss, gLoss, the loss terms, ms and images/s. */
export type StepLogs = Logs;

/** Training callbacks, with tfjs-layers' names. Each may be async; training waits for it. */
export interface TrainCallback {
  onTrainBegin?(context: TrainContext): void | Promise<void>;
  onBatchEnd?(step: number, logs: StepLogs, context: TrainContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: StepLogs, context: TrainContext): void | Promise<void>;
  onTrainEnd?(logs: StepLogs | undefined, context: TrainContext): void | Promise<void>;
}
