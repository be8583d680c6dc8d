import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend, InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { fromArrays } from '@dgm/data';
import { createClassifier } from '@dgm/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures, extractStatistics } from './extract-features.js';
import { functionExtractor, graphModelExtractor, layerExtractor } from './feature-extractor.js';
import { featureStatistics } from './statistics.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// 23 images 28×28×1 with distinct content (not a multiple of the batch size).
const pixels = Uint8Array.from({ length: 23 * 784 }, (_, i) => (i * 7919) % 256);
const dataset = fromArrays({ images: pixels, shape: [28, 28, 1], labels: Array.from({ length: 23 }, (_, i) => i % 10) });
const asTensor = () => tf.tidy(() => tf.sub(tf.div(tf.tensor4d(Float32Array.from(pixels), [23, 28, 28, 1]), 127.5), 1) as tf.Tensor4D);

describe('feature extractors', () => {
  it('a layer extractor gives the classifier\'s pooled features and its probabilities; tensor, Dataset and sampler agree; nothing leaks', async () => {
    const model = createClassifier({ imageShape: [28, 28, 1], filters: 4 });
    const extractor = layerExtractor({ model, layer: 'features', probabilities: 'output', id: 'tiny' });
    const images = asTensor();
    await expectNoLeakedTensors(async () => {
      const fromTensor = await extractFeatures({ extractor, images, batchSize: 10 });
      expect([fromTensor.count, fromTensor.dim]).toEqual([23, 16]);
      const fromDataset = await extractFeatures({ extractor, images: dataset, batchSize: 7 });
      let offset = 0;
      const sampler = { count: 23, sample: (n: number) => tf.slice(images, [(offset += n) - n], [n]) };
      const fromSampler = await extractFeatures({ extractor, images: sampler, batchSize: 5 });
      for (const other of [fromDataset, fromSampler]) fromTensor.values.forEach((v, i) => expect(other.values[i]).toBeCloseTo(v, 5));
      // The same numbers as the model's own layer, all at once.
      const direct = tf.tidy(() => extractor.features(images).dataSync());
      fromTensor.values.forEach((v, i) => expect(direct[i]).toBeCloseTo(v, 5));
      const probabilities = await extractFeatures({ extractor, images, output: 'probabilities' });
      expect(probabilities.dim).toBe(10);
      for (let r = 0; r < 23; r++) expect(Array.from(probabilities.values.subarray(r * 10, r * 10 + 10)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      // Streamed statistics equal those of the whole matrix.
      const streamed = await extractStatistics({ extractor, images: dataset, batchSize: 4 });
      const whole = await featureStatistics(fromDataset);
      whole.covariance.forEach((v, i) => expect(streamed.covariance[i]).toBeCloseTo(v, 10));
    });
    images.dispose();
    model.dispose();
  });

  it('function and graph-model extractors; bad extractors and sources are typed errors', async () => {
    const pooled = (x: tf.Tensor4D) => tf.tidy(() => tf.reshape(tf.avgPool(x, 7, 7, 'valid'), [x.shape[0], -1]) as tf.Tensor2D);
    const graph = { execute: (x: tf.Tensor, node: string | string[]) => (node === 'pool' ? pooled(x as tf.Tensor4D) : tf.zeros([1])) };
    const images = asTensor();
    const a = await extractFeatures({ extractor: functionExtractor({ id: 'pool7', features: pooled }), images });
    const b = await extractFeatures({ extractor: graphModelExtractor({ model: graph, output: 'pool', id: 'pool7' }), images });
    expect(a.dim).toBe(16);
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
    const model = createClassifier({ imageShape: [28, 28, 1], filters: 4 });
    expect(() => layerExtractor({ model, layer: 'nope', id: 'x' })).toThrow(/has no layer "nope"; its layers: image, conv2d/);
    expect(() => functionExtractor({ id: 'has space', features: pooled })).toThrow(InvalidArgumentError);
    await expect(extractFeatures({ extractor: functionExtractor({ id: 'f', features: pooled }), images, output: 'probabilities' })).rejects.toThrow(/has no class probabilities/);
    const wrong = functionExtractor({ id: 'wrong', features: (x) => tf.zeros([x.shape[0] + 1, 3]) });
    await expect(extractFeatures({ extractor: wrong, images })).rejects.toThrow(ShapeMismatchError);
    await expect(extractFeatures({ extractor: wrong, images: [1, 2] as never })).rejects.toThrow(/images must be a tf.Tensor4D, a Dataset/);
    tf.dispose([images]);
    model.dispose();
  });
});
