import type { RunContext, StepLogs, TrainCallback } from './callbacks.js';

/** A run's callbacks, each awaited in order (tfjs-layers' CallbackList). */
export class CallbackList<C extends RunContext> {
  constructor(private readonly callbacks: readonly TrainCallback<C>[]) {}

  async trainBegin(context: C): Promise<void> {
    for (const callback of this.callbacks) await callback.onTrainBegin?.(context);
  }

  async batchEnd(step: number, logs: StepLogs, context: C): Promise<void> {
    for (const callback of this.callbacks) await callback.onBatchEnd?.(step, logs, context);
  }

  async epochEnd(epoch: number, logs: StepLogs, context: C): Promise<void> {
    for (const callback of this.callbacks) await callback.onEpochEnd?.(epoch, logs, context);
  }

  async trainEnd(logs: StepLogs | undefined, context: C): Promise<void> {
    for (const callback of this.callbacks) await callback.onTrainEnd?.(logs, context);
  }
}
