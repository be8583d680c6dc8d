import * as z from 'zod';
import { parseOptions } from '@dgm/core';
import type { RunContext, TrainCallback } from './callbacks.js';
import { keepSchema } from './checkpoint-store.js';
import { positiveInt } from './option-schemas.js';

export interface CheckpointsOptions {
  /** Write a checkpoint every this many steps. */
  readonly every: number;
  /** Keep the `keep` newest checkpoints of the run (the final one included). Default: the store's `keep`, which is 2 unless set. */
  readonly keep?: number;
}

/** A checkpoint every `every` steps into the run's store (the trainers write the final one themselves when they have a store). */
export function checkpoints(options: CheckpointsOptions): TrainCallback<RunContext> {
  const { every, keep } = parseOptions(z.strictObject({ every: positiveInt, keep: keepSchema.optional() }), options, 'checkpoints');
  return {
    onTrainBegin(context) {
      if (keep !== undefined) context.keepCheckpoints(keep);
    },
    async onBatchEnd(step, _logs, context) {
      if (step % every === 0 && step < context.totalSteps) await context.checkpoint();
    },
  };
}
