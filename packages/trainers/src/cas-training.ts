import { describeValue, InvalidArgumentError, parseOptions, type OnProgress } from '@dgm/core';
import type { CasTraining } from '@dgm/metrics';
import type { ClassifierContext, TrainCallback } from './callbacks.js';
import { trainClassifier, trainClassifierSchema, type TrainClassifierOptions } from './train-classifier.js';

/** trainClassifier's options for CAS; computeCas gives the model, the data and the seed. */
export type CasTrainingSettings = Omit<TrainClassifierOptions, 'model' | 'data' | 'seed'>;

/**
 * The classifier training of `computeCas` (@dgm/metrics): `trainClassifier` with 5 epochs,
 * batch 128 (at most the data's size) and Adam 2e-3 on a cosine schedule, each overridable, e.g.
 * `computeCas({ generated, real, train: casTraining() })`. computeCas's `onProgress` hears
 * of each step as stage 'cas training' (done = steps completed, total = all steps).
 */
export function casTraining(settings: CasTrainingSettings = {}): CasTraining {
  parseOptions(trainClassifierSchema.omit({ model: true, data: true, seed: true }), settings, 'casTraining');
  const training = { epochs: 5, optimizer: { learningRate: 2e-3 }, schedule: 'cosine' as const, ...settings };
  return async ({ model, data, seed, onProgress }) => {
    if (onProgress !== undefined && typeof onProgress !== 'function') throw new InvalidArgumentError(`casTraining: onProgress: expected a function, got ${describeValue(onProgress)}`);
    const callbacks = onProgress === undefined ? training.callbacks : [...(training.callbacks ?? []), progressCallback(onProgress)];
    // The default batch (128) is clamped to the data's size; one asked for is checked against it.
    const batchSize = training.batchSize ?? Math.min(128, data?.count ?? 128);
    await trainClassifier({ ...training, batchSize, model, data, seed, ...(callbacks === undefined ? {} : { callbacks }) });
    const length = training.steps === undefined ? { epochs: training.epochs } : { steps: training.steps };
    return { settings: { ...length, batchSize } };
  };
}

/** Reports each completed step of the training as stage 'cas training'. */
function progressCallback(onProgress: OnProgress): TrainCallback<ClassifierContext> {
  return {
    onBatchEnd(step, _logs, context) {
      onProgress({ stage: 'cas training', done: step, total: context.totalSteps });
    },
  };
}
