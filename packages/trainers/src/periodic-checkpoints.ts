import { InvalidArgumentError } from '@dgm/core';
import type { RunContext, TrainCallback } from './callbacks.js';
import { checkKeep } from './checkpoint-store.js';

export interface CheckpointsOptions {
  /** Write a checkpoint every this many steps. */
  readonly every: number;
  /** Keep the `keep` newest checkpoints of the run (the final one included). Default: the store's `keep`, which is 2 unless set. */
  readonly keep?: number;
}

/** A checkpoint every `every` steps into the run's store (the trainers write the final one themselves when they have a store). */
export function checkpoints(options: CheckpointsOptions): TrainCallback<RunContext> {
  const { every, keep } = options ?? ({} as Partial<CheckpointsOptions>);
  if (!Number.isInteger(every) || every < 1) throw new InvalidArgumentError(`checkpoints: every must be a positive integer, got ${JSON.stringify(every)}`);
  if (keep !== undefined) checkKeep(keep, 'checkpoints');
  return {
    onTrainBegin(context) {
      if (keep !== undefined) context.keepCheckpoints(keep);
    },
    async onBatchEnd(step, _logs, context) {
      if (step % every === 0 && step < context.totalSteps) await context.checkpoint();
    },
  };
}
