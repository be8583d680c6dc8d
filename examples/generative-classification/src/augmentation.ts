import { mixLabeled } from '@dgm/data';
import { trainAndTest } from './classifier.js';
import { labeledSubset, type ExperimentContext } from './context.js';
import { seedsOf, type ResultRow } from './results.js';

/**
 * Generative augmentation: at each number of labels per class and seed, the protocol's
 * classifier trained on the real labeled images alone, and on them mixed with `generated`
 * labeled samples of each conditional model trained on the same images. The mix is class
 * balanced with real images at least half of it (repeated where there are few): real share
 * max(½, real / (real + generated)), so with a full training set the mix holds about as many
 * real images as the set, beside the samples.
 */
export async function augmentation({ options, data, protocol, generators, log }: ExperimentContext): Promise<ResultRow[]> {
  const { train, test } = data;
  const rows: ResultRow[] = [];
  for (const perClass of options.perClass) {
    for (const seed of seedsOf(options)) {
      const real = labeledSubset(train, perClass, seed);
      log(`augmentation: classifier on ${real.count} real images (${perClass} per class, seed ${seed})`);
      const alone = await trainAndTest(real, test, seed, protocol);
      alone.model.dispose();
      const base = { experiment: 'augmentation', metric: 'test accuracy', labelsPerClass: perClass, seed } as const;
      rows.push({ ...base, model: 'real only', value: alone.score.accuracy, perClass: alone.score.perClass, steps: alone.score.steps, minutes: alone.score.minutes });
      for (const name of options.generators) {
        const generator = await generators.get(name, perClass, seed);
        const generated = await generator.sample(options.generated, seed + 1000);
        const realFraction = Math.max(0.5, real.count / (real.count + generated.count));
        const mixed = mixLabeled({ real, generated, realFraction, count: Math.round(generated.count / (1 - realFraction)), seed });
        log(`augmentation: classifier on ${real.count} real images mixed with ${generated.count} of ${name} (${mixed.count} images, ${(100 * realFraction).toFixed(0)}% real)`);
        const withGenerated = await trainAndTest(mixed, test, seed, protocol);
        withGenerated.model.dispose();
        rows.push({ ...base, model: `real + ${name}`, value: withGenerated.score.accuracy, perClass: withGenerated.score.perClass, steps: generator.steps, minutes: generator.minutes });
      }
    }
  }
  return rows;
}
