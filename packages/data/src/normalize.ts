import { parseOptions } from '@dgm/core';
import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { pixelRangeSchema } from './options.js';

/** The value range images are normalized to: [-1, 1] for tanh generators, [0, 1] otherwise. */
export type PixelRange = '[-1,1]' | '[0,1]';

const tensorSchema = z.custom<tf.Tensor>((v) => v instanceof tf.Tensor && !v.isDisposed, { error: 'expected a live tensor' });
const normalizeSchema = z.strictObject({ images: tensorSchema, range: pixelRangeSchema.optional(), from: z.literal(['[0,255]', '[0,1]']).optional() });
const denormalizeSchema = z.strictObject({ images: tensorSchema, range: pixelRangeSchema.optional() });

/** The lowest and highest value of a range. */
export function rangeBounds(range: PixelRange): [number, number] {
  return range === '[-1,1]' ? [-1, 1] : [0, 1];
}

/**
 * Float images in `range` from dataset pixels: uint8 values in [0, 255] (any numeric
 * tensor) or, with `from: '[0,1]'`, floats in [0, 1].
 */
export function normalizeImages(options: { images: tf.Tensor; range?: PixelRange; from?: '[0,255]' | '[0,1]' }): tf.Tensor {
  const { images, range = '[-1,1]', from = '[0,255]' } = parseOptions(normalizeSchema, options, 'normalizeImages');
  return tf.tidy(() => {
    const unit = from === '[0,255]' ? tf.div(tf.cast(images, 'float32'), 255) : tf.cast(images, 'float32');
    return range === '[0,1]' ? unit : tf.sub(tf.mul(unit, 2), 1);
  });
}

/** Back from `range` to [0, 255] floats (clipped), e.g. before writing a PNG. */
export function denormalizeImages(options: { images: tf.Tensor; range?: PixelRange }): tf.Tensor {
  const { images, range = '[-1,1]' } = parseOptions(denormalizeSchema, options, 'denormalizeImages');
  return tf.tidy(() => {
    const unit = range === '[0,1]' ? images : tf.div(tf.add(images, 1), 2);
    return tf.clipByValue(tf.mul(unit, 255), 0, 255);
  });
}
