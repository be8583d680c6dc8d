import { accuracyOf } from './classifier.js';
import type { ExperimentContext } from './context.js';
import { seedsOf, type ResultRow } from './results.js';

/**
 * The discriminator as a classifier: the AC-GAN's auxiliary class head (and its weight
 * average), trained on `perClass` labeled images of each class, scored on the real test set.
 * (The semi-supervised GAN's D is scored by the ssgan experiment.)
 */
export async function discriminatorAsClassifier({ options, data, generators }: ExperimentContext): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const perClass of options.perClass) {
    for (const seed of seedsOf(options)) {
      const acgan = await generators.get('acgan', perClass, seed);
      for (const [key, model] of [['d', 'acgan D'], ['d-ema', 'acgan D (averaged)']] as const) {
        const score = await accuracyOf(acgan.classifiers[key]!, data.test, `acgan-${key}`);
        rows.push({ experiment: 'discriminator', model, metric: 'test accuracy', labelsPerClass: perClass, seed, value: score.accuracy, perClass: score.perClass, steps: acgan.steps, minutes: acgan.minutes });
      }
    }
  }
  return rows;
}
