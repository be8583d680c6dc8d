import { classifierExtractor, computeGanTest, type ClassifierExtractor } from '@dgm/metrics';
import { loadExtractor } from '@dgm/metrics/node';
import { taskProgress } from '@dgm/trainers/node';
import { trainAndTest } from './classifier.js';
import type { ExperimentContext } from './context.js';
import { seedsOf, type ResultRow } from './results.js';

/**
 * CAS (Ravuri & Vinyals 2019) and GAN-test (Shmelkov et al. 2018) of every conditional model
 * trained on the whole training set: the protocol's classifier trained on as many generated
 * labeled images as the real training set (or `casSamples`) and tested on real ones; and a
 * classifier of real images (the shipped one for MNIST and Fashion-MNIST, else the protocol's
 * trained on the real training set) on the generated images. Beside them, the protocol's
 * classifier trained on real data, and the GAN-test classifier's accuracy on the real test set.
 */
export async function casAndGanTest({ options, data, protocol, generators, log }: ExperimentContext): Promise<ResultRow[]> {
  const { train, test, shippedClassifier } = data;
  const rows: ResultRow[] = [];
  for (const seed of seedsOf(options)) {
    const base = { experiment: 'cas', labelsPerClass: 'all', seed } as const;
    log(`cas: the classifier on the ${train.count} real training images (seed ${seed})`);
    const real = await trainAndTest(train, test, seed, protocol);
    rows.push({ ...base, model: 'real data', metric: 'test accuracy', value: real.score.accuracy, perClass: real.score.perClass, steps: real.score.steps, minutes: real.score.minutes });
    let judge: ClassifierExtractor | undefined;
    try {
      judge = shippedClassifier === undefined ? classifierExtractor({ model: real.model, id: 'real-cnn' }) : await loadExtractor({ name: shippedClassifier });
      const onReal = await computeGanTest({ classifier: judge, generated: test, onProgress: taskProgress() });
      rows.push({ ...base, model: 'real test images', metric: 'GAN-test', value: onReal.value, perClass: onReal.perClass, steps: 0, minutes: 0 });
      for (const name of options.generators) {
        const generator = await generators.get(name, 'all', seed);
        const generated = await generator.sample(options.casSamples ?? train.count, seed + 2000);
        const trained = { steps: generator.steps, minutes: generator.minutes };
        const ganTest = await computeGanTest({ classifier: judge, generated, onProgress: taskProgress() });
        rows.push({ ...base, model: name, metric: 'GAN-test', value: ganTest.value, perClass: ganTest.perClass, ...trained });
        log(`cas: the classifier on ${generated.count} images of ${name}`);
        const cas = await trainAndTest(generated, test, seed, protocol);
        cas.model.dispose();
        rows.push({ ...base, model: name, metric: 'CAS', value: cas.score.accuracy, perClass: cas.score.perClass, ...trained });
      }
    } finally {
      if (judge !== undefined && judge.model !== real.model) judge.model.dispose();
      real.model.dispose();
    }
  }
  return rows;
}
