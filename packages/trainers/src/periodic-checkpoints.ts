import type { RunContext, TrainCallback } from './callbacks.js';

/** A checkpoint every `every` steps (the trainers write the final one themselves when they have a store). */
export function checkpoints({ every }: { every: number }): TrainCallback<RunContext> {
  return {
    async onBatchEnd(step, _logs, context) {
      if (step % every === 0 && step < context.totalSteps) await context.checkpoint();
    },
  };
}
