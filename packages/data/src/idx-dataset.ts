import { DatasetFormatError } from '@dgm/core';
import { createDataset, type Dataset } from './dataset.js';
import type { BoundedInflate } from './gunzip-bounded.js';
import { parseIdx } from './idx.js';

/** One IDX file's bytes (gzipped or not) and the name its errors give. */
export interface IdxFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface IdxDatasetOptions {
  readonly name: string;
  readonly split: string;
  readonly classNames: readonly string[];
  readonly images: IdxFile;
  readonly labels: IdxFile;
  /** The most images the split may hold (60,000 for MNIST's train split): larger declared sizes are refused before inflating. */
  readonly maxCount: number;
  /** The most bytes of data one file may declare. */
  readonly maxBytes: number;
  /** How gzipped files are inflated (see gunzipBounded). */
  readonly inflate?: BoundedInflate;
}

/** A dataset of 28×28×1 images and their labels from a pair of IDX files (MNIST's format). */
export function datasetFromIdx({ name, split, classNames, images, labels, maxCount, maxBytes, inflate }: IdxDatasetOptions): Dataset {
  const limit = (itemBytes: number, what: string) =>
    maxCount * itemBytes <= maxBytes
      ? { bytes: maxCount * itemBytes, why: `${name} ${split} has at most ${maxCount} ${what}` }
      : { bytes: maxBytes, why: `maxBytes = ${maxBytes}` };
  const pixels = parseIdx(images.bytes, images.path, { rank: 3, limit: limit(784, 'images of 28×28'), inflate });
  const classes = parseIdx(labels.bytes, labels.path, { rank: 1, limit: limit(1, 'labels'), inflate });
  const [count, height, width] = pixels.dims as [number, number, number];
  if (height !== 28 || width !== 28) {
    throw new DatasetFormatError(`${images.path}: expected 28×28 images, found ${height}×${width}`);
  }
  if (classes.dims[0] !== count) {
    throw new DatasetFormatError(`${name} ${split}: ${count} images in ${images.path} but ${classes.dims[0]} labels in ${labels.path}`);
  }
  return createDataset(
    { name, split, shape: [28, 28, 1], count, classNames, images: pixels.data, labels: Int32Array.from(classes.data) },
    labels.path,
  );
}
