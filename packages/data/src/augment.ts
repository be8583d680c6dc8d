import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, type Random } from '@dgm/core';
import { cropPadded } from './crop-padded.js';
import { checkRange, rangeBounds, type PixelRange } from './normalize.js';

/** Seeded augmentations of an image batch [n, h, w, c]; each returns a new tensor. */
interface AugmentInput {
  readonly images: tf.Tensor4D;
  /** The source of every random choice, so that a run is reproducible. */
  readonly random: Random;
}

/** Mirrors each image left–right with probability `probability` (default 0.5). */
export function randomFlip({ images, random, probability = 0.5 }: AugmentInput & { probability?: number }): tf.Tensor4D {
  check(images, 'randomFlip');
  const flips = Array.from({ length: images.shape[0] }, () => random.float() < probability);
  return tf.tidy(() => tf.where(tf.tensor4d(flips, [flips.length, 1, 1, 1], 'bool'), tf.reverse(images, 2), images));
}

/**
 * Pads each image by `padding` pixels of the range's lowest value (black) on every side,
 * then crops a window of the original size at a random offset.
 */
export function randomCrop({ images, random, padding, range = '[-1,1]' }: AugmentInput & { padding: number; range?: PixelRange }): tf.Tensor4D {
  check(images, 'randomCrop');
  if (!Number.isInteger(padding) || padding < 0) throw new InvalidArgumentError(`randomCrop: padding must be a non-negative integer, got ${padding}`);
  const offsets = Array.from({ length: images.shape[0] }, () => [random.int(2 * padding + 1), random.int(2 * padding + 1)] as const);
  return cropPadded(images, offsets, [padding, padding], rangeBounds(checkRange(range, 'randomCrop'))[0]);
}

/** Shifts each image by up to `max` pixels in each direction, filling with the range's lowest value. */
export function randomTranslate({ images, random, max, range = '[-1,1]' }: AugmentInput & { max: number; range?: PixelRange }): tf.Tensor4D {
  return randomCrop({ images, random, padding: max, range });
}

/** Adds N(0, stddev²) noise, drawn from `random` through a tfjs seed. */
export function gaussianNoise({ images, random, stddev }: AugmentInput & { stddev: number }): tf.Tensor4D {
  check(images, 'gaussianNoise');
  if (!(stddev >= 0)) throw new InvalidArgumentError(`gaussianNoise: stddev must be ≥ 0, got ${stddev}`);
  return tf.tidy(() => tf.add(images, tf.randomNormal(images.shape, 0, stddev, 'float32', random.tfSeed())));
}

/**
 * Per image: contrast scaled by a factor in [1 − contrast, 1 + contrast] around the image's
 * mean, then brightness shifted by up to ±brightness of the range's width; clipped to the range.
 */
export function randomBrightnessContrast({
  images,
  random,
  brightness = 0,
  contrast = 0,
  range = '[-1,1]',
}: AugmentInput & { brightness?: number; contrast?: number; range?: PixelRange }): tf.Tensor4D {
  check(images, 'randomBrightnessContrast');
  const [lo, hi] = rangeBounds(checkRange(range, 'randomBrightnessContrast'));
  const n = images.shape[0];
  const shifts = Float32Array.from({ length: n }, () => (2 * random.float() - 1) * brightness * (hi - lo));
  const factors = Float32Array.from({ length: n }, () => 1 + (2 * random.float() - 1) * contrast);
  return tf.tidy(() => {
    const mean = tf.mean(images, [1, 2, 3], true);
    const scaled = tf.add(tf.mul(tf.sub(images, mean), tf.tensor4d(factors, [n, 1, 1, 1])), mean);
    return tf.clipByValue(tf.add(scaled, tf.tensor4d(shifts, [n, 1, 1, 1])), lo, hi) as tf.Tensor4D;
  });
}

function check(images: tf.Tensor, caller: string): void {
  if (!(images instanceof tf.Tensor) || images.rank !== 4) {
    throw new InvalidArgumentError(`${caller}: images must be a rank-4 tensor [n, height, width, channels], got ${images instanceof tf.Tensor ? `rank ${images.rank}` : typeof images}`);
  }
}
