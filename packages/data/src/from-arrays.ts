import * as z from 'zod';
import { DatasetFormatError, describeValue, InvalidArgumentError, type ImageShape, parseOptions } from '@dgm/core';
import { createDataset, type Dataset } from './dataset.js';
import { imageShapeSchema } from './options.js';

export interface FromArraysOptions {
  /** NHWC pixels: uint8 in [0, 255] or float32 in [0, 1]. */
  readonly images: Uint8Array | Float32Array;
  readonly shape: ImageShape;
  /** One class index per image: integers in [0, classNames.length). */
  readonly labels?: Int32Array | readonly number[];
  /** Default: '0', '1', … up to the largest label (then labels must be below 65,536). */
  readonly classNames?: readonly string[];
  readonly name?: string;
  readonly split?: string;
}

/** Classes named by default ('0' … 'n−1'); more need `classNames`. */
export const maxDefaultClasses = 65536;

const schema = z.strictObject({
  images: z.custom<Uint8Array | Float32Array>((v) => v instanceof Uint8Array || v instanceof Float32Array, {
    error: 'expected a Uint8Array or Float32Array of NHWC pixels',
  }),
  shape: imageShapeSchema,
  labels: z
    .custom<ArrayLike<unknown>>((v) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)), {
      error: 'expected an array or typed array of class indices',
    })
    .optional(),
  classNames: z.array(z.string()).min(1).optional(),
  name: z.string().min(1).optional(),
  split: z.string().min(1).optional(),
});

/** A dataset over arrays already in memory, validated like the loaders' output. */
export function fromArrays(options: FromArraysOptions): Dataset {
  const { images, shape, name = 'arrays', split = 'train', classNames: given, ...rest } = parseOptions(schema, options, 'fromArrays');
  const source = `fromArrays(${name})`;
  const labels = rest.labels === undefined ? undefined : checkLabels(rest.labels, given?.length, source);
  const classNames = given ?? Array.from({ length: labels === undefined ? 0 : labels.reduce((m, l) => Math.max(m, l), -1) + 1 }, (_, i) => String(i));
  const size = shape[0] * shape[1] * shape[2];
  if (images.length % size !== 0) {
    throw new DatasetFormatError(`${source}: ${images.length} values are not a whole number of ${shape.join('×')} images`);
  }
  const count = images.length / size;
  return createDataset({ name, split, shape, count, classNames, images, ...(labels === undefined ? {} : { labels }) }, source);
}

/**
 * Labels as an Int32Array: every one an integer (no NaN, fraction, string, or value that
 * Int32Array would wrap), in [0, classNames.length), or without names in [0, 65,536).
 * Type errors are InvalidArgumentErrors; labels out of range DatasetFormatErrors, as the
 * loaders report them.
 */
function checkLabels(labels: ArrayLike<unknown>, classes: number | undefined, source: string): Int32Array {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (typeof label !== 'number' || !Number.isInteger(label)) {
      throw new InvalidArgumentError(`${source}: labels[${i}]: expected an integer class index, got ${describeValue(label)}`);
    }
    if (classes === undefined && label >= maxDefaultClasses) {
      throw new InvalidArgumentError(
        `${source}: labels[${i}]: expected a class index below ${maxDefaultClasses} (pass classNames for more classes), got ${describeValue(label)}`,
      );
    }
    max = Math.max(max, label);
  }
  const limit = classes ?? max + 1;
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (label < 0 || label >= limit) {
      throw new DatasetFormatError(`${source}: label ${label} at index ${i} is outside [0, ${limit}) for the ${limit} classes`);
    }
    out[i] = label;
  }
  return out;
}
