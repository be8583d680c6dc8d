import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRandom, initBackend, InvalidArgumentError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { fromArrays, normalizeImages, subset, type Dataset } from '@dgm/data';
import { loadMnist } from '@dgm/data/node';
import { createModel } from '@dgm/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCas, computeGanTest, type CasTraining } from './classification-scores.js';
import { evaluateImages } from './evaluate-images.js';
import { functionExtractor } from './feature-extractor.js';
import { ganSampler, sampleGan } from './sample-gan.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

const first = (dataset: Dataset, n: number, from = 0) => subset(dataset, Array.from({ length: n }, (_, i) => from + i));
// Softmax regression: enough for MNIST digits, and fast.
const linear = () => tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [28, 28, 1] }), tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })] });

/** A classifier training for these tests (the ready one, casTraining, is in @dgm/trainers): tfjs-layers' fit with Adam. */
function fitTraining({ epochs, batchSize, learningRate }: { epochs: number; batchSize: number; learningRate: number }): CasTraining {
  return async ({ model, data }) => {
    const optimizer = tf.train.adam(learningRate);
    const x = tf.tidy(() => normalizeImages({ images: tf.tensor4d(data.images, [data.count, ...data.shape]) }));
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.labels!, 'int32'), model.outputs[0]!.shape[1]!));
    try {
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      await model.fit(x, y, { epochs, batchSize, shuffle: false, verbose: 0 });
    } finally {
      tf.dispose([x, y]);
      optimizer.dispose();
    }
    return { settings: { epochs, batchSize } };
  };
}

describe('classification accuracy score and GAN-test', () => {
  it('CAS of "generated" images that are real MNIST is high; with their labels shuffled it is near chance', async () => {
    const [train, test] = [first(await loadMnist({ split: 'train' }), 1000), first(await loadMnist({ split: 'test' }), 500)];
    const fit = fitTraining({ epochs: 10, batchSize: 50, learningRate: 1e-2 });
    const model = linear();
    const good = await expectNoLeakedTensors(() => computeCas({ generated: train, real: test, model, train: fit }));
    model.dispose();
    const labels = createRandom({ seed: 1 }).permutation(train.count);
    const shuffled = fromArrays({ images: train.images, shape: [28, 28, 1], labels: Array.from(labels, (i) => train.labels![i]!) });
    const bad = await computeCas({ generated: shuffled, real: test, model: linear(), train: fit });
    expect(good.value).toBeGreaterThan(0.8);
    expect(bad.value).toBeLessThan(0.3);
    expect(good.name).toBe('cas1k-cnn');
    expect(good.protocol).toEqual({ samples: 1000, extractor: 'cnn', reference: 'mnist/test', referenceSamples: 500, settings: { epochs: 10, batchSize: 50, seed: 0 } });
    expect(good.perClass).toHaveLength(10);
    await expect(computeCas({ generated: fromArrays({ images: train.images, shape: [28, 28, 1] }), real: test, train: fit })).rejects.toThrow(/generated must be a labeled Dataset/);
    await expect(computeCas({ generated: train, real: test } as never)).rejects.toThrow(/train must be a classifier training/);
  });

  it('GAN-test is the accuracy of a real-data classifier on generated labeled images, per class too', async () => {
    // Image brightness c/4 encodes class c; the classifier reads it back.
    const classes = [0, 1, 2, 3, 0, 1, 2, 3];
    const images = Float32Array.from({ length: 8 * 16 }, (_, i) => classes[Math.floor(i / 16)]! / 4);
    const labels = [0, 1, 2, 3, 0, 1, 3, 3]; // image 6 shows class 2, labeled 3
    const classifier = functionExtractor({
      id: 'brightness',
      features: (x) => tf.tidy(() => tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D),
      probabilities: (x) => tf.tidy(() => tf.oneHot(tf.cast(tf.round(tf.mul(tf.add(tf.mean(x, [1, 2, 3]), 1), 2)), 'int32'), 4) as tf.Tensor2D),
    });
    const result = await computeGanTest({ classifier, generated: fromArrays({ images, shape: [4, 4, 1], labels }) });
    expect(result.value).toBe(7 / 8);
    expect(result.perClass).toEqual([1, 1, 1, 2 / 3]);
    expect(result.name).toBe('gantest8-brightness');
    await expect(computeGanTest({ classifier: functionExtractor({ id: 'f', features: (x) => x as never }), generated: fromArrays({ images, shape: [4, 4, 1], labels }) })).rejects.toThrow(InvalidArgumentError);
  });

  it('sampleGan draws seeded, class-balanced images in [0, 1] from a conditional GAN; ganSampler feeds evaluateImages', async () => {
    const gan = createModel('cgan', { imageShape: [28, 28, 1], numClasses: 3, latentDim: 8, generatorFilters: 4, discriminatorFilters: 4 });
    const a = await expectNoLeakedTensors(() => sampleGan({ gan, count: 7, seed: 3, batchSize: 4 }));
    const b = await sampleGan({ gan, count: 7, seed: 3 });
    expect(Array.from(a.labels!)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(a.images).toEqual(b.images);
    expect(a.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect((await sampleGan({ gan, count: 7, seed: 4 })).images).not.toEqual(a.images);
    const pooled = functionExtractor({ id: 'pool', features: (x) => tf.tidy(() => tf.reshape(tf.avgPool(x, 7, 7, 'valid'), [x.shape[0], -1]) as tf.Tensor2D) });
    const [fid] = await evaluateImages({ extractor: pooled, generated: ganSampler({ gan, count: 40, seed: 1 }), reference: a });
    expect(fid!.protocol.samples).toBe(40);
    expect(fid!.value).toBeGreaterThanOrEqual(0);
    gan.generator.dispose();
    gan.discriminator.dispose();
  });
});
