import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { createRandom, initBackend, InvalidArgumentError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { fromArrays, type Dataset } from '@dgm/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateImages } from './evaluate-images.js';
import { extractFeatures } from './extract-features.js';
import { functionExtractor } from './feature-extractor.js';
import { computeFid } from './fid.js';
import { computeInceptionScore } from './inception-score.js';
import { computeKid } from './kid.js';
import { computePrecisionRecall } from './precision-recall.js';
import { loadReferenceStatistics, saveReferenceStatistics } from './node/reference-statistics-file.js';
import { featureStatistics } from './statistics.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const noisy = (count: number, seed: number, brightness: number, name: string): Dataset => {
  const random = createRandom({ seed });
  const images = Float32Array.from({ length: count * 64 }, () => Math.min(1, Math.max(0, brightness + 0.2 * random.normal())));
  return fromArrays({ images, shape: [8, 8, 1], name, split: 'test' });
};
// 16 features (2×2 average pools) and a softmax over 4 of them as "class probabilities".
const features = (x: tf.Tensor4D) => tf.tidy(() => tf.reshape(tf.avgPool(x, 2, 2, 'valid'), [x.shape[0], 16]) as tf.Tensor2D);
const extractor = functionExtractor({ id: 'pool2', features, probabilities: (x) => tf.tidy(() => tf.softmax(tf.mul(tf.slice(features(x), [0, 0], [-1, 4]), 3)) as tf.Tensor2D) });

describe('evaluateImages', () => {
  it('names each result by protocol and gives the values of the metric functions on the extracted features', async () => {
    const [generated, real] = [noisy(2000, 1, 0.45, 'toy'), noisy(1500, 2, 0.5, 'toy')];
    const results = await expectNoLeakedTensors(() =>
      evaluateImages({ extractor, generated, reference: real, metrics: ['fid', 'kid', 'inception-score', 'precision-recall'], kid: { subsets: 5, subsetSize: 100 } }),
    );
    expect(results.map((r) => r.name)).toEqual(['fid2k-pool2', 'kid2k-pool2', 'is2k-pool2', 'precision2k-pool2', 'recall2k-pool2']);
    const [g, r] = [await extractFeatures({ extractor, images: generated }), await extractFeatures({ extractor, images: real })];
    const expected = [
      (await computeFid({ generated: g, real: r })).value,
      (await computeKid({ generated: g, real: r, subsets: 5, subsetSize: 100 })).mean,
      computeInceptionScore({ probabilities: await extractFeatures({ extractor, images: generated, output: 'probabilities' }) }).mean,
      (await computePrecisionRecall({ generated: g, real: r })).precision,
      (await computePrecisionRecall({ generated: g, real: r })).recall,
    ];
    results.forEach((result, i) => expect(result.value).toBe(expected[i]));
    expect(results[0]!.value).toBeGreaterThan(0.01);
    expect(results[0]!.protocol).toEqual({ samples: 2000, extractor: 'pool2', reference: 'toy/test', referenceSamples: 1500 });
    expect(results[1]!.protocol.settings).toEqual({ subsets: 5, subsetSize: 100, seed: 0 });
    expect(results[2]!.protocol).toMatchObject({ reference: 'none', settings: { splits: 10 } });
  });

  it('FID against saved reference statistics equals FID against the images; mismatched extractors are refused', async () => {
    const [generated, real] = [noisy(300, 3, 0.4, 'toy'), noisy(400, 4, 0.5, 'toy')];
    const dir = await mkdtemp(join(tmpdir(), 'dgm-ref-'));
    try {
      const stats = { ...(await featureStatistics(await extractFeatures({ extractor, images: real }))), extractor: 'pool2', source: 'toy/reference' };
      await saveReferenceStatistics(join(dir, 'toy.stats'), stats);
      const saved = await loadReferenceStatistics(join(dir, 'toy.stats'));
      const [fromStats] = await evaluateImages({ extractor, generated, reference: saved });
      const [fromImages] = await evaluateImages({ extractor, generated, reference: real });
      expect(fromStats!.value).toBeCloseTo(fromImages!.value, 10);
      expect(fromStats!.protocol).toEqual({ samples: 300, extractor: 'pool2', reference: 'toy/reference', referenceSamples: 400 });
      const other = functionExtractor({ id: 'other', features });
      await expect(evaluateImages({ extractor: other, generated, reference: saved })).rejects.toThrow(/statistics are of extractor pool2, not other/);
      await expect(evaluateImages({ extractor, generated, reference: saved, metrics: ['kid'] })).rejects.toThrow(InvalidArgumentError);
      await expect(evaluateImages({ extractor, generated, metrics: ['fid'] })).rejects.toThrow(/need a reference/);
      await expect(evaluateImages({ extractor, generated, reference: real, metrics: ['fd' as never] })).rejects.toThrow(/unknown metric "fd"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('non-finite features are a typed error naming where; few samples give a warning and a finite value', async () => {
    const broken = functionExtractor({ id: 'broken', features: (x) => tf.tidy(() => tf.div(features(x), 0)) });
    const [generated, real] = [noisy(20, 5, 0.4, 'toy'), noisy(30, 6, 0.5, 'toy')];
    await expect(evaluateImages({ extractor: broken, generated, reference: real })).rejects.toThrow(/generated has a non-finite value \(-?Infinity\) at row 0, column 0/);
    const [few] = await evaluateImages({ extractor, generated: noisy(10, 7, 0.45, 'toy'), reference: real });
    expect(Number.isFinite(few!.value) && few!.value >= 0).toBe(true);
    expect(few!.warnings.join(' ')).toMatch(/10 samples for 16 features/);
  });
});
