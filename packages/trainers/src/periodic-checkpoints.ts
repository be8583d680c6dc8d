import type { RunContext, TrainCallback } from './callbacks.js';

/** A checkpoint every `every` steps (trainGan writes the final one itself when it has a runDir). */
export function checkpoints({ every }: { every: number }): TrainCallback<RunContext> {
  return {
    async onBatchEnd(step, _logs, context) {
      if (step % every === 0 && step < context.totalSteps) await context.checkpoint();
    },
  };
}
