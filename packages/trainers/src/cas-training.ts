import type { CasTraining } from '@dgm/metrics';
import { trainClassifier, type TrainClassifierOptions } from './train-classifier.js';

/** trainClassifier's options for CAS; computeCas gives the model, the data and the seed. */
export type CasTrainingSettings = Omit<TrainClassifierOptions, 'model' | 'data' | 'seed'>;

/**
 * The classifier training of `computeCas` (@dgm/metrics): `trainClassifier` with 5 epochs,
 * batch 128 and Adam 2e-3 on a cosine schedule, each overridable, e.g.
 * `computeCas({ generated, real, train: casTraining() })`.
 */
export function casTraining(settings: CasTrainingSettings = {}): CasTraining {
  const training = { epochs: 5, batchSize: 128, optimizer: { learningRate: 2e-3 }, schedule: 'cosine' as const, ...settings };
  return async ({ model, data, seed }) => {
    await trainClassifier({ ...training, model, data, seed });
    const length = training.steps === undefined ? { epochs: training.epochs } : { steps: training.steps };
    return { settings: { ...length, batchSize: training.batchSize } };
  };
}
