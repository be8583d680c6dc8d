// A trainGan callback shared by the benches that score a GAN at times of its training.
import type { TrainCallback, TrainContext } from '@dgm/trainers';

/**
 * Calls `score` once the training time (its own scoring excluded) passes each of `times`
 * minutes, pushes what it returns to `points`, and stops training after the last.
 */
export function atTrainingMinutes<P>(times: readonly number[], points: P[], score: (minutes: number, step: number, context: TrainContext) => Promise<P>): TrainCallback<TrainContext> {
  const started = performance.now();
  let scoring = 0;
  return {
    onBatchEnd: async (step, _logs, context) => {
      const next = times[points.length];
      if (next === undefined || (performance.now() - started - scoring) / 60_000 < next) return;
      const t = performance.now();
      points.push(await score(next, step, context));
      scoring += performance.now() - t;
      if (points.length === times.length) context.stop();
    },
  };
}
