// Measures the shipped extractors on their real data and writes, per extractor:
//   extractors/<name>/train.stats  the train split's feature statistics (for FID without the dataset)
//   extractors/<name>/report.json  test accuracy, FID floor (test vs train) and ceiling (uniform noise vs train), IS of real images
//   pnpm --filter @dgm/metrics extractor-report [mnist-cnn|fashion-mnist-cnn ...]
import '@tensorflow/tfjs-layers';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { createRandom, initBackend } from '@dgm/core';
import { loadFashionMnist, loadMnist } from '@dgm/data/node';
import { accuracy, evaluateImages, extractFeatures, featureStatistics } from '@dgm/metrics';
import { loadExtractor, saveReferenceStatistics, shippedExtractors } from '@dgm/metrics/node';

const loaders = { 'mnist-cnn': [loadMnist, 'mnist'], 'fashion-mnist-cnn': [loadFashionMnist, 'fashion-mnist'] };
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : shippedExtractors;
const { backend } = await initBackend({ backend: 'auto' });

for (const name of names) {
  const [load, dataset] = loaders[name];
  const [train, test] = [await load({ split: 'train' }), await load({ split: 'test' })];
  const extractor = await loadExtractor({ name });
  const started = performance.now();
  const probabilities = await extractFeatures({ extractor, images: test, output: 'probabilities' });
  const testAccuracy = accuracy({ scores: probabilities, labels: test.labels });
  const reference = { ...(await featureStatistics(await extractFeatures({ extractor, images: train }))), extractor: name, source: `${dataset}/train` };
  await saveReferenceStatistics(fileURLToPath(new URL(`../extractors/${name}/train.stats`, import.meta.url)), reference);
  const random = createRandom({ seed: 0 });
  const noise = { count: 10_000, sample: (n) => tf.tensor4d(Float32Array.from({ length: n * 784 }, () => 2 * random.float() - 1), [n, 28, 28, 1]) };
  const [floor, isReal] = await evaluateImages({ extractor, generated: test, reference, metrics: ['fid', 'inception-score'] });
  const [ceiling, isNoise] = await evaluateImages({ extractor, generated: noise, reference, referenceName: `${dataset}/train`, metrics: ['fid', 'inception-score'] });
  const report = {
    extractor: name,
    backend,
    testAccuracy: testAccuracy.accuracy,
    perClassTestAccuracy: testAccuracy.perClass,
    floor: { what: `${dataset}/test (10,000 real images) vs ${dataset}/train statistics`, ...floor },
    ceiling: { what: `10,000 images of uniform noise in [-1, 1] vs ${dataset}/train statistics`, ...ceiling },
    inceptionScore: { real: isReal, noise: isNoise },
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    command: `pnpm --filter @dgm/metrics extractor-report ${name}`,
  };
  await writeFile(fileURLToPath(new URL(`../extractors/${name}/report.json`, import.meta.url)), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`${name}: test accuracy ${(100 * testAccuracy.accuracy).toFixed(2)}%, ${floor.name} floor ${floor.value.toFixed(3)}, ceiling ${ceiling.value.toFixed(1)}, IS real ${isReal.value.toFixed(2)}, noise ${isNoise.value.toFixed(2)}`);
  extractor.model.dispose();
}
