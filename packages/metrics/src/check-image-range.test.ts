import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { createRandom, initBackend, InvalidArgumentError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { fromArrays } from '@dgm/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateImages } from './evaluate-images.js';
import { extractFeatures, extractStatistics } from './extract-features.js';
import { functionExtractor } from './feature-extractor.js';
import type { ImageSampler } from './image-source.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// 16 features per 8×8 image: its 2×2 average pools.
const extractor = functionExtractor({ id: 'pool2', features: (x) => tf.tidy(() => tf.reshape(tf.avgPool(x, 2, 2, 'valid'), [x.shape[0], 16]) as tf.Tensor2D) });
const count = 40;
/** `count` 8×8 images with values spread uniformly over [low, high], both ends included. */
const values = (low: number, high: number, seed: number) => {
  const random = createRandom({ seed });
  const v = Float32Array.from({ length: count * 64 }, () => low + (high - low) * random.float());
  [v[0], v[1]] = [low, high];
  return v;
};
const images = (low: number, high: number, seed = 1) => tf.tensor4d(values(low, high, seed), [count, 8, 8, 1]);
// The reference is a Dataset of [0, 1] pixels: batches() gives it in [−1, 1], so it needs (and gets) no check.
const reference = fromArrays({ images: values(0, 1, 9), shape: [8, 8, 1], name: 'toy', split: 'test' });
/** A sampler that draws its batches from `make` and counts how many it handed out. */
const sampler = (make: (n: number, drawn: number) => tf.Tensor4D): ImageSampler & { drawn: number } => ({
  count,
  drawn: 0,
  sample(n) {
    return make(n, this.drawn++);
  },
});
const fid = (generated: Parameters<typeof evaluateImages>[0]['generated']) => evaluateImages({ extractor, generated, reference, metrics: ['fid'], batchSize: 16 });

describe('image range checks', () => {
  it('FID of [0, 255], [0, 1] and int32 images is an InvalidArgumentError that names the range seen and the conversion', async () => {
    const pixels = images(0, 255);
    const unit = images(0, 1);
    const ints = tf.tidy(() => tf.cast(images(0, 255), 'int32') as tf.Tensor4D);
    const wide = images(-3, 3);
    await expectNoLeakedTensors(async () => {
      await expect(fid(pixels)).rejects.toThrow(InvalidArgumentError);
      await expect(fid(pixels)).rejects.toThrow(/expected images in \[−1, 1\], got values in \[0, 255\]; looks like \[0, 255\] pixels: use x \/ 127\.5 − 1/);
      await expect(fid(unit)).rejects.toThrow(InvalidArgumentError);
      await expect(fid(unit)).rejects.toThrow(/expected images in \[−1, 1\] with negative values, got values in \[0, 1\]; looks like \[0, 1\] pixels: use x · 2 − 1/);
      await expect(fid(ints)).rejects.toThrow(InvalidArgumentError);
      await expect(fid(ints)).rejects.toThrow(/evaluateImages \(generated\): expected float32 images in \[−1, 1\], got dtype int32; .*x \/ 127\.5 − 1/);
      // Other ranges are refused too, with the range seen.
      await expect(fid(wide)).rejects.toThrow(/got values in \[-3, 3\]; rescale them to \[−1, 1\]/);
    });
    tf.dispose([pixels, unit, ints, wide]);
  });

  it('a sampler giving out-of-range or NaN images is refused, and its batch is still disposed', async () => {
    await expectNoLeakedTensors(async () => {
      const pixels = sampler((n) => tf.tidy(() => tf.mul(tf.randomUniform([n, 8, 8, 1], 0, 1, 'float32', 1), 255) as tf.Tensor4D));
      await expect(fid(pixels)).rejects.toThrow(/evaluateImages \(generated\): expected images in \[−1, 1\], got values in \[[\d.e-]+, 2\d\d(\.\d+)?\]; looks like \[0, 255\] pixels/);
      expect(pixels.drawn).toBe(1);
      const unit = sampler((n) => tf.randomUniform([n, 8, 8, 1], 0, 1, 'float32', 2));
      await expect(extractFeatures({ extractor, images: unit })).rejects.toThrow(/extractFeatures: expected images in \[−1, 1\] with negative values.*looks like \[0, 1\] pixels/);
      const ints = sampler((n) => tf.zeros([n, 8, 8, 1], 'int32'));
      await expect(extractStatistics({ extractor, images: ints })).rejects.toThrow(/extractStatistics: expected float32 images in \[−1, 1\], got dtype int32/);
      // Good batches first, then a bad one: the check runs on every batch.
      const nan = sampler((n, drawn) => tf.tidy(() => (drawn < 2 ? tf.randomUniform([n, 8, 8, 1], -1, 1, 'float32', drawn) : tf.fill([n, 8, 8, 1], Number.NaN)) as tf.Tensor4D));
      await expect(fid(nan)).rejects.toThrow(/evaluateImages \(generated\): expected images in \[−1, 1\], got 512 NaN value\(s\) in a batch of 8/);
      expect(nan.drawn).toBe(3);
    });
  });

  it('[−1, 1] images pass, from a tensor or a sampler, within a rounding tolerance; a later all-positive batch passes once negatives were seen', async () => {
    const good = images(-1, 1);
    const rounded = tf.tidy(() => tf.mul(images(-1, 1), 1.0005) as tf.Tensor4D);
    await expectNoLeakedTensors(async () => {
      const [fromTensor] = await fid(good);
      expect(Number.isFinite(fromTensor!.value) && fromTensor!.value >= 0).toBe(true);
      expect((await fid(rounded))[0]!.value).toBeGreaterThanOrEqual(0);
      const tanh = sampler((n, drawn) => tf.randomUniform([n, 8, 8, 1], -1, 1, 'float32', drawn));
      expect((await fid(tanh))[0]!.protocol.samples).toBe(count);
      // A last batch of bright images (no value below 0) is fine after batches with negative values.
      const bright = sampler((n, drawn) => tf.randomUniform([n, 8, 8, 1], drawn < 2 ? -1 : 0.2, 1, 'float32', drawn));
      expect((await extractStatistics({ extractor, images: bright, batchSize: 16 })).count).toBe(count);
      expect(bright.drawn).toBe(3);
    });
    tf.dispose([good, rounded]);
  });
});
