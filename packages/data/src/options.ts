import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { isPlainObject, type Random } from '@dgm/core';
import type { Dataset } from './dataset.js';

/** A nested plain object with these fields (no class instance, unknown keys refused). */
export function plainObject<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.custom<Record<string, unknown>>(isPlainObject, { error: 'expected a plain object' }).pipe(z.strictObject(shape));
}

/** A positive integer. */
export const positiveInt = z.int().min(1);

/** A finite number ≥ 0. */
export const nonNegative = z.number().min(0);

/** [height, width, channels]: positive integer sides up to 65,536 and 1, 3 or 4 channels. */
export const imageShapeSchema = z.tuple([z.int().min(1).max(65536), z.int().min(1).max(65536), z.literal([1, 3, 4])], {
  error: (issue) => (issue.code === 'invalid_type' || issue.code === 'too_small' || issue.code === 'too_big' ? 'expected [height, width, channels]' : undefined),
});

export const pixelRangeSchema = z.literal(['[-1,1]', '[0,1]']);

/** A rank-4 tensor [n, height, width, channels] that is not disposed. */
export const tensor4dSchema = z.custom<tf.Tensor4D>((value) => value instanceof tf.Tensor && value.rank === 4 && !value.isDisposed, {
  error: (issue) => (issue.input instanceof tf.Tensor ? `expected a live rank-4 tensor [n, height, width, channels], got ${issue.input.isDisposed ? 'a disposed tensor' : `rank ${issue.input.rank}`}` : 'expected a rank-4 tensor [n, height, width, channels]'),
});

/** A Random of @dgm/core (anything with `float`, `int` and `tfSeed`). */
export const randomSchema = z.custom<Random>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['float', 'int', 'tfSeed'].every((name) => typeof (value as Record<string, unknown>)[name] === 'function'),
  { error: 'expected a Random (createRandom of @dgm/core)' },
);

/** A Dataset as the loaders and fromArrays return it (checked for its parts, not copied). */
export const datasetSchema = z.custom<Dataset>(
  (value) =>
    isPlainObject(value) &&
    Number.isInteger(value['count']) &&
    Array.isArray(value['shape']) &&
    Array.isArray(value['classNames']) &&
    (value['images'] instanceof Uint8Array || value['images'] instanceof Float32Array) &&
    (value['labels'] === undefined || value['labels'] instanceof Int32Array),
  { error: 'expected a Dataset (from a loader or fromArrays)' },
);
