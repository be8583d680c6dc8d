import { DatasetFormatError, type ImageShape } from '@dgm/core';
import { createDataset, type Dataset } from './dataset.js';

export interface FromArraysOptions {
  /** NHWC pixels: uint8 in [0, 255] or float32 in [0, 1]. */
  readonly images: Uint8Array | Float32Array;
  readonly shape: ImageShape;
  readonly labels?: Int32Array | readonly number[];
  /** Default: '0', '1', … up to the largest label. */
  readonly classNames?: readonly string[];
  readonly name?: string;
  readonly split?: string;
}

/** A dataset over arrays already in memory, validated like the loaders' output. */
export function fromArrays(options: FromArraysOptions): Dataset {
  const { images, shape, name = 'arrays', split = 'train' } = options ?? ({} as FromArraysOptions);
  const source = `fromArrays(${name})`;
  const labels = options.labels === undefined ? undefined : Int32Array.from(options.labels);
  const classNames = options.classNames ?? Array.from({ length: labels === undefined ? 0 : labels.reduce((m, l) => Math.max(m, l), -1) + 1 }, (_, i) => String(i));
  const size = Array.isArray(shape) ? shape.reduce((a, b) => a * b, 1) : Number.NaN;
  if (images !== undefined && images.length % size !== 0) {
    throw new DatasetFormatError(`${source}: ${images.length} values are not a whole number of ${shape.join('×')} images`);
  }
  const count = images === undefined ? 0 : images.length / size;
  return createDataset({ name, split, shape, count, classNames, images, ...(labels === undefined ? {} : { labels }) }, source);
}
