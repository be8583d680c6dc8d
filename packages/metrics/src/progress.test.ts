import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRandom, initBackend, InvalidArgumentError, type Progress } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { fromArrays } from '@dgm/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCas, computeGanTest, type CasTraining } from './classification-scores.js';
import { evaluateImages } from './evaluate-images.js';
import { extractFeatures, extractStatistics } from './extract-features.js';
import { functionExtractor } from './feature-extractor.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const features = (x: tf.Tensor4D) => tf.tidy(() => tf.reshape(tf.avgPool(x, 2, 2, 'valid'), [x.shape[0], 16]) as tf.Tensor2D);
const extractor = functionExtractor({ id: 'pool2', features, probabilities: (x) => tf.tidy(() => tf.softmax(tf.slice(features(x), [0, 0], [-1, 4])) as tf.Tensor2D) });
const pixels = (count: number, seed: number) => {
  const random = createRandom({ seed });
  return Float32Array.from({ length: count * 64 }, () => random.float());
};
const labeled = (count: number, seed: number) => fromArrays({ images: pixels(count, seed), shape: [8, 8, 1], labels: Array.from({ length: count }, (_, i) => i % 4), name: 'toy', split: 'test' });

/** Records the reports of onProgress. */
function recorder() {
  const calls: Progress[] = [];
  return { calls, onProgress: (progress: Progress) => void calls.push(progress) };
}

/** The `done` of each stage in order of first report, after checking each stage's total is fixed and its done increases to it. */
function stages(calls: readonly Progress[]): Record<string, number[]> {
  const byStage: Record<string, number[]> = {};
  for (const { stage, done, total } of calls) {
    const seen = (byStage[stage] ??= []);
    expect(total).toBe(calls.find((c) => c.stage === stage)!.total);
    if (seen.length > 0) expect(done).toBeGreaterThan(seen.at(-1)!);
    seen.push(done);
  }
  for (const [stage, done] of Object.entries(byStage)) expect(done.at(-1)).toBe(calls.find((c) => c.stage === stage)!.total);
  return byStage;
}

describe('onProgress', () => {
  it('extractFeatures and extractStatistics report the images done after each batch', async () => {
    const images = tf.tidy(() => tf.sub(tf.mul(tf.tensor4d(pixels(40, 1), [40, 8, 8, 1]), 2), 1) as tf.Tensor4D);
    await expectNoLeakedTensors(async () => {
      const a = recorder();
      await extractFeatures({ extractor, images, batchSize: 16, onProgress: a.onProgress });
      expect(a.calls).toEqual([16, 32, 40].map((done) => ({ stage: 'features', done, total: 40 })));
      const b = recorder();
      await extractFeatures({ extractor, images, output: 'probabilities', batchSize: 25, onProgress: b.onProgress });
      expect(stages(b.calls)).toEqual({ probabilities: [25, 40] });
      const c = recorder();
      await extractStatistics({ extractor, images: labeled(30, 2), batchSize: 7, onProgress: c.onProgress });
      expect(stages(c.calls)).toEqual({ features: [7, 14, 21, 28, 30] });
    });
    images.dispose();
  });

  it('evaluateImages names its stages: generated features, reference features, generated probabilities', async () => {
    const { calls, onProgress } = recorder();
    await expectNoLeakedTensors(() => evaluateImages({ extractor, generated: labeled(30, 3), reference: labeled(20, 4), metrics: ['fid', 'inception-score'], splits: 2, batchSize: 8, onProgress }));
    expect(stages(calls)).toEqual({ 'generated features': [8, 16, 24, 30], 'reference features': [8, 16, 20], 'generated probabilities': [8, 16, 24, 30] });
  });

  it('computeGanTest reports its probabilities; computeCas its training (through train) and its evaluation', async () => {
    const gantest = recorder();
    await computeGanTest({ classifier: extractor, generated: labeled(300, 5), onProgress: gantest.onProgress });
    expect(stages(gantest.calls)).toEqual({ 'gantest probabilities': [250, 300] });

    // A stand-in training that reports three steps the way casTraining does.
    const train: CasTraining = async ({ onProgress }) => {
      for (let done = 1; done <= 3; done++) onProgress?.({ stage: 'cas training', done, total: 3 });
      return { settings: { steps: 3 } };
    };
    const model = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [8, 8, 1] }), tfl.layers.dense({ units: 4, activation: 'softmax' })] });
    const cas = recorder();
    await expectNoLeakedTensors(() => computeCas({ generated: labeled(20, 6), real: labeled(260, 7), model, train, onProgress: cas.onProgress }));
    expect(stages(cas.calls)).toEqual({ 'cas training': [1, 2, 3], 'cas evaluation': [250, 260] });
    // Without onProgress, train gets none.
    let given: unknown = 'unset';
    await computeCas({ generated: labeled(20, 6), real: labeled(20, 7), model, train: async (o) => ((given = o.onProgress), { settings: {} }) });
    expect(given).toBeUndefined();
    model.dispose();
  });

  it('an onProgress that is not a function is an InvalidArgumentError in all five', async () => {
    const onProgress = 'log' as never;
    const images = labeled(10, 8);
    const train: CasTraining = async () => ({ settings: {} });
    const calls = [
      extractFeatures({ extractor, images, onProgress }),
      extractStatistics({ extractor, images, onProgress }),
      evaluateImages({ extractor, generated: images, reference: images, onProgress }),
      computeGanTest({ classifier: extractor, generated: images, onProgress }),
      computeCas({ generated: images, real: images, train, onProgress }),
    ];
    for (const call of calls) {
      await expect(call).rejects.toThrow(InvalidArgumentError);
      await expect(call).rejects.toThrow(/expected onProgress to be a function \(\{ stage, done, total \}\) => void, got string/);
    }
  });
});
