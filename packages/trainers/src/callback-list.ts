import type { RunContext, StepLogs, TrainCallback } from './callbacks.js';

/** A run's callbacks, each awaited in order (tfjs-layers' CallbackList). */
export class CallbackList<C extends RunContext> {
  constructor(private readonly callbacks: readonly TrainCallback<C>[]) {}

  async trainBegin(context: C): Promise<void> {
    for (const callback of this.callbacks) await callback.onTrainBegin?.(context);
  }

  /** The step's logs with what the callbacks added, each callback seeing the additions of those before it. */
  async batchEnd(step: number, logs: StepLogs, context: C): Promise<StepLogs> {
    let current = logs;
    for (const callback of this.callbacks) {
      const added = await callback.onBatchEnd?.(step, current, context);
      if (added) current = { ...current, ...added };
    }
    return current;
  }

  async epochEnd(epoch: number, logs: StepLogs, context: C): Promise<void> {
    for (const callback of this.callbacks) await callback.onEpochEnd?.(epoch, logs, context);
  }

  async trainEnd(logs: StepLogs | undefined, context: C): Promise<void> {
    for (const callback of this.callbacks) await callback.onTrainEnd?.(logs, context);
  }
}
