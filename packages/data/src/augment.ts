import { parseOptions } from '@dgm/core';
import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import type { Random } from '@dgm/core';
import { cropPadded } from './crop-padded.js';
import { rangeBounds, type PixelRange } from './normalize.js';
import { nonNegative, pixelRangeSchema, randomSchema, tensor4dSchema } from './options.js';

/** Seeded augmentations of an image batch [n, h, w, c]; each returns a new tensor. */
interface AugmentInput {
  readonly images: tf.Tensor4D;
  /** The source of every random choice, so that a run is reproducible. */
  readonly random: Random;
}

const input = { images: tensor4dSchema, random: randomSchema };
const flipSchema = z.strictObject({ ...input, probability: z.number().min(0).max(1).optional() });
const cropSchema = z.strictObject({ ...input, padding: z.int().min(0).max(4096), range: pixelRangeSchema.optional() });
const translateSchema = z.strictObject({ ...input, max: z.int().min(0).max(4096), range: pixelRangeSchema.optional() });
const noiseSchema = z.strictObject({ ...input, stddev: nonNegative });
const brightnessContrastSchema = z.strictObject({
  ...input,
  brightness: z.number().min(0).max(1).optional(),
  contrast: z.number().min(0).max(1).optional(),
  range: pixelRangeSchema.optional(),
});

/** Mirrors each image left–right with probability `probability` (default 0.5). */
export function randomFlip(options: AugmentInput & { probability?: number }): tf.Tensor4D {
  const { images, random, probability = 0.5 } = parseOptions(flipSchema, options, 'randomFlip');
  const flips = Array.from({ length: images.shape[0] }, () => random.float() < probability);
  return tf.tidy(() => tf.where(tf.tensor4d(flips, [flips.length, 1, 1, 1], 'bool'), tf.reverse(images, 2), images));
}

/**
 * Pads each image by `padding` pixels of the range's lowest value (black) on every side,
 * then crops a window of the original size at a random offset.
 */
export function randomCrop(options: AugmentInput & { padding: number; range?: PixelRange }): tf.Tensor4D {
  const { images, random, padding, range = '[-1,1]' } = parseOptions(cropSchema, options, 'randomCrop');
  return crop(images, random, padding, range);
}

/** Shifts each image by up to `max` pixels in each direction, filling with the range's lowest value. */
export function randomTranslate(options: AugmentInput & { max: number; range?: PixelRange }): tf.Tensor4D {
  const { images, random, max, range = '[-1,1]' } = parseOptions(translateSchema, options, 'randomTranslate');
  return crop(images, random, max, range);
}

function crop(images: tf.Tensor4D, random: Random, padding: number, range: PixelRange): tf.Tensor4D {
  const offsets = Array.from({ length: images.shape[0] }, () => [random.int(2 * padding + 1), random.int(2 * padding + 1)] as const);
  return cropPadded(images, offsets, [padding, padding], rangeBounds(range)[0]);
}

/** Adds N(0, stddev²) noise, drawn from `random` through a tfjs seed. */
export function gaussianNoise(options: AugmentInput & { stddev: number }): tf.Tensor4D {
  const { images, random, stddev } = parseOptions(noiseSchema, options, 'gaussianNoise');
  return tf.tidy(() => tf.add(images, tf.randomNormal(images.shape, 0, stddev, 'float32', random.tfSeed())));
}

/**
 * Per image: contrast scaled by a factor in [1 − contrast, 1 + contrast] around the image's
 * mean, then brightness shifted by up to ±brightness of the range's width; clipped to the range.
 */
export function randomBrightnessContrast(options: AugmentInput & { brightness?: number; contrast?: number; range?: PixelRange }): tf.Tensor4D {
  const { images, random, brightness = 0, contrast = 0, range = '[-1,1]' } = parseOptions(brightnessContrastSchema, options, 'randomBrightnessContrast');
  const [lo, hi] = rangeBounds(range);
  const n = images.shape[0];
  const shifts = Float32Array.from({ length: n }, () => (2 * random.float() - 1) * brightness * (hi - lo));
  const factors = Float32Array.from({ length: n }, () => 1 + (2 * random.float() - 1) * contrast);
  return tf.tidy(() => {
    const mean = tf.mean(images, [1, 2, 3], true);
    const scaled = tf.add(tf.mul(tf.sub(images, mean), tf.tensor4d(factors, [n, 1, 1, 1])), mean);
    return tf.clipByValue(tf.add(scaled, tf.tensor4d(shifts, [n, 1, 1, 1])), lo, hi) as tf.Tensor4D;
  });
}
