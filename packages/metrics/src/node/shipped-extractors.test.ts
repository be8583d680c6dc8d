import { readFile } from 'node:fs/promises';
import '@tensorflow/tfjs-layers';
import { initBackend, InvalidArgumentError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { subset } from '@dgm/data';
import { loadFashionMnist, loadMnist } from '@dgm/data/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy } from '../accuracy.js';
import { extractFeatures } from '../extract-features.js';
import { computeFid } from '../fid.js';
import { loadExtractor, loadShippedReference, type ShippedExtractor } from './load-extractor.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const shipped = (name: string, file: string) => readFile(new URL(`../../extractors/${name}/${file}`, import.meta.url), 'utf8').then((text) => JSON.parse(text));

// The targets of the full test split, and a looser bound for the first 1,000 test images checked here.
const cases = [
  { name: 'mnist-cnn', load: loadMnist, dataset: 'mnist', target: 0.993, first1000: 0.985 },
  { name: 'fashion-mnist-cnn', load: loadFashionMnist, dataset: 'fashion-mnist', target: 0.91, first1000: 0.88 },
] as const;

describe.each(cases)('shipped extractor $name', ({ name, load, dataset, target, first1000 }) => {
  it('loads offline, classifies real test images, and its reference statistics are its own features of the train split', async () => {
    const training = await shipped(name, 'training.json');
    expect(training.testAccuracy).toBeGreaterThanOrEqual(target);
    expect(training.weights).toBe('float16');
    const test = subset(await load({ split: 'test' }), Array.from({ length: 1000 }, (_, i) => i));
    const extractor = await loadExtractor({ name: name as ShippedExtractor });
    const reference = await loadShippedReference({ name: name as ShippedExtractor });
    expect([reference.extractor, reference.source, reference.count, reference.dim]).toEqual([name, `${dataset}/train`, 60000, 128]);
    await expectNoLeakedTensors(async () => {
      const probabilities = await extractFeatures({ extractor, images: test, output: 'probabilities' });
      expect(accuracy({ scores: probabilities, labels: test.labels! }).accuracy).toBeGreaterThanOrEqual(first1000);
      // Real test images sit close to the train statistics; the report's noise is far from them.
      const fid = await computeFid({ generated: await extractFeatures({ extractor, images: test }), real: reference });
      const report = await shipped(name, 'report.json');
      expect(fid.value).toBeLessThan(report.ceiling.value / 20);
      expect(report.floor.value).toBeLessThan(fid.value); // 10,000 test images: less small-sample bias than 1,000
    });
    extractor.model.dispose();
  });
});

it('the README reports the shipped extractors\' measured numbers', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  for (const { name } of cases) {
    const [training, report] = [await shipped(name, 'training.json'), await shipped(name, 'report.json')];
    const row = [
      `\`${name}\``,
      `${(100 * training.testAccuracy).toFixed(2)}%`,
      report.floor.value.toFixed(3),
      report.ceiling.value.toFixed(1),
      report.inceptionScore.real.value.toFixed(2),
      report.inceptionScore.noise.value.toFixed(2),
    ];
    expect(readme).toContain(`| ${row.join(' | ')} |`);
    expect(report.testAccuracy).toBe(training.testAccuracy); // the report re-measures the same weights
  }
});

it('unknown extractors are typed errors', async () => {
  await expect(loadExtractor({ name: 'inception' as never })).rejects.toThrow(InvalidArgumentError);
  await expect(loadShippedReference({ name: 'inception' as never })).rejects.toThrow(/shipped: mnist-cnn, fashion-mnist-cnn/);
});
