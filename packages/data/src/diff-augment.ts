import { parseOptions } from '@dgm/core';
import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import type { Random } from '@dgm/core';
import { cropPadded } from './crop-padded.js';
import { randomSchema, tensor4dSchema } from './options.js';

export type DiffAugmentPolicy = 'color' | 'translation' | 'cutout';

export interface DiffAugmentOptions {
  /** [n, h, w, c] images in [-1, 1], real or generated. */
  readonly images: tf.Tensor4D;
  readonly random: Random;
  /** Default all three, in this order. */
  readonly policy?: readonly DiffAugmentPolicy[];
  /** Largest shift, as a fraction of the size. Default 1/8. */
  readonly translationRatio?: number;
  /** Side of the erased square, as a fraction of the size. Default 1/2. */
  readonly cutoutRatio?: number;
}

const schema = z.strictObject({
  images: tensor4dSchema,
  random: randomSchema,
  policy: z.array(z.literal(['color', 'translation', 'cutout'])).optional(),
  translationRatio: z.number().min(0).max(1).optional(),
  cutoutRatio: z.number().min(0).max(1).optional(),
});

/**
 * Differentiable augmentation (Zhao et al. 2020, "Differentiable Augmentation for
 * Data-Efficient GAN Training"), applied to both real and fake images before D. Written
 * with tfjs ops that have gradients (arithmetic, mean, pad, gather), so the generator is
 * trained through it. The random choices come from `random`.
 */
export function diffAugment(options: DiffAugmentOptions): tf.Tensor4D {
  const { images, random, policy = ['color', 'translation', 'cutout'], translationRatio = 0.125, cutoutRatio = 0.5 } = parseOptions(
    schema,
    options,
    'diffAugment',
  );
  return tf.tidy(() => {
    let x: tf.Tensor4D = images;
    for (const p of policy) {
      if (p === 'color') x = color(x, random);
      else if (p === 'translation') x = translation(x, random, translationRatio);
      else x = cutout(x, random, cutoutRatio);
    }
    return x;
  });
}

/** Per image: brightness + U(−½, ½); saturation × U(0, 2) around the pixel's channel mean; contrast × U(½, 1½) around the image mean. */
function color(x: tf.Tensor4D, random: Random): tf.Tensor4D {
  const n = x.shape[0];
  const perImage = (draw: () => number) => tf.tensor4d(Float32Array.from({ length: n }, draw), [n, 1, 1, 1]);
  let y: tf.Tensor4D = tf.add(x, perImage(() => random.float() - 0.5));
  const pixelMean = tf.mean(y, 3, true);
  y = tf.add(tf.mul(tf.sub(y, pixelMean), perImage(() => 2 * random.float())), pixelMean);
  const imageMean = tf.mean(y, [1, 2, 3], true);
  return tf.add(tf.mul(tf.sub(y, imageMean), perImage(() => random.float() + 0.5)), imageMean);
}

/** Shifts each image by up to ratio·size pixels, zero-filled. */
function translation(x: tf.Tensor4D, random: Random, ratio: number): tf.Tensor4D {
  const [sy, sx] = [Math.round(x.shape[1] * ratio), Math.round(x.shape[2] * ratio)];
  const offsets = Array.from({ length: x.shape[0] }, () => [random.int(2 * sy + 1), random.int(2 * sx + 1)] as const);
  return cropPadded(x, offsets, [sy, sx]);
}

/** Zeroes a square of ratio·size pixels at a random center per image (it may extend past the edges). */
function cutout(x: tf.Tensor4D, random: Random, ratio: number): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const [ch, cw] = [Math.round(h * ratio), Math.round(w * ratio)];
  const mask = new Float32Array(n * h * w).fill(1);
  for (let b = 0; b < n; b++) {
    const top = random.int(h + (1 - (ch % 2))) - Math.floor(ch / 2);
    const left = random.int(w + (1 - (cw % 2))) - Math.floor(cw / 2);
    for (let i = Math.max(0, top); i < Math.min(h, top + ch); i++) {
      for (let j = Math.max(0, left); j < Math.min(w, left + cw); j++) mask[(b * h + i) * w + j] = 0;
    }
  }
  return tf.mul(x, tf.tensor4d(mask, [n, h, w, 1]));
}
