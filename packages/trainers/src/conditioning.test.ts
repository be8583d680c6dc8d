import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend } from '@dgm/core';
import { createModel, generatorInputs, type Gan, type ModelName } from '@dgm/models';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeGan, toyData } from './toy.test-helper.js';
import { trainGan } from './train-gan.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

/**
 * A fixed classifier of toyData's images (pixels in [−1, 1]): the class whose square (rows
 * 4 + 6c to 12 + 6c, columns 10–17) is clearly the brightest, or −1 when none stands out by
 * 0.25 (an image with no square, or squares everywhere, is of no class).
 */
function squareClass(image: Float32Array): number {
  const brightness = [0, 1, 2].map((c) => {
    let sum = 0;
    for (let y = 4 + 6 * c; y < 12 + 6 * c; y++) for (let x = 10; x < 18; x++) sum += image[y * 28 + x]!;
    return sum / 64;
  });
  const best = brightness.indexOf(Math.max(...brightness));
  const runnerUp = Math.max(...brightness.filter((_, c) => c !== best));
  return brightness[best]! - runnerUp > 0.25 ? best : -1;
}

/** The share of `count` samples (classes in turn) that the fixed classifier assigns to the class G was asked for. */
function askedClassShare(gan: Gan, generator: tfl.LayersModel, count: number): number {
  const labels = Int32Array.from({ length: count }, (_, i) => i % 3);
  const images = tf.tidy(() => {
    const z = tf.randomNormal([count, gan.spec.latentDim], 0, 1, 'float32', 7);
    return generator.predict(generatorInputs(gan.spec, z, tf.tensor2d(labels, [count, 1], 'int32'))) as tf.Tensor;
  });
  const pixels = images.dataSync() as Float32Array;
  images.dispose();
  return labels.filter((label, i) => squareClass(pixels.subarray(i * 784, (i + 1) * 784)) === label).length / count;
}

describe('conditional families generate the class they are asked for', () => {
  const data = toyData(96);
  it('the fixed classifier reads the toy images', () => {
    const pixels = Float32Array.from(data.images, (v) => v / 127.5 - 1);
    const classes = Array.from({ length: data.count }, (_, i) => squareClass(pixels.subarray(i * 784, (i + 1) * 784)));
    expect(classes).toEqual([...data.labels!]);
  });

  const families: ModelName[] = ['cgan', 'cgan-projection', 'acgan'];
  for (const family of families) {
    it(`${family}: after a short training with its default recipe, most samples show the asked class`, async () => {
      const gan = createModel(family, { imageShape: [28, 28, 1], numClasses: 3, generatorFilters: 16, discriminatorFilters: 16, seed: 3 } as never);
      const before = askedClassShare(gan, gan.generator, 60);
      const result = await trainGan({ gan, data, steps: 300, batchSize: 32, seed: 1 });
      const after = askedClassShare(gan, result.ema!, 60);
      result.ema?.dispose();
      disposeGan(gan);
      expect(after, `${family}: ${(100 * before).toFixed(0)}% of the samples show the asked class before training, ${(100 * after).toFixed(0)}% after`).toBeGreaterThanOrEqual(0.8);
    }, 180_000);
  }
});
