import { DatasetFormatError, describeValue, InvalidArgumentError, type ImageShape } from '@dgm/core';
import { datasetSchema } from './options.js';

/**
 * An in-memory image classification dataset, as every loader returns it: NHWC pixels and
 * integer labels. Images are uint8 in [0, 255] or float32 in [0, 1].
 */
export interface Dataset {
  /** e.g. 'mnist', 'fashion-mnist', 'cifar10', or the folder's name. */
  readonly name: string;
  /** e.g. 'train', 'test'. */
  readonly split: string;
  readonly shape: ImageShape;
  readonly count: number;
  readonly classNames: readonly string[];
  /** count · height · width · channels values, image after image, rows of pixels, channels last. */
  readonly images: Uint8Array | Float32Array;
  /** One class index per image, in [0, classNames.length); absent for unlabeled data. */
  readonly labels?: Int32Array;
}

/** Validates the parts of a dataset and assembles it; `source` names where they came from, for messages. */
export function createDataset(parts: Dataset, source: string): Dataset {
  if (typeof parts !== 'object' || parts === null) throw new InvalidArgumentError(`${source}: expected the parts of a dataset, got ${describeValue(parts)}`);
  const { shape, count, images, labels, classNames } = parts;
  if (typeof parts.name !== 'string' || typeof parts.split !== 'string') {
    throw new InvalidArgumentError(`${source}: name and split must be strings, got ${describeValue(parts.name)} and ${describeValue(parts.split)}`);
  }
  if (!Array.isArray(classNames) || !classNames.every((c) => typeof c === 'string')) {
    throw new InvalidArgumentError(`${source}: classNames must be an array of strings, got ${describeValue(classNames)}`);
  }
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new InvalidArgumentError(`${source}: shape must be [height, width, channels] of positive integers, got ${JSON.stringify(shape)}`);
  }
  if (shape[2] !== 1 && shape[2] !== 3 && shape[2] !== 4) {
    throw new InvalidArgumentError(`${source}: images must have 1, 3 or 4 channels, got ${shape[2]}`);
  }
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError(`${source}: count must be a non-negative integer, got ${describeValue(count)}`);
  // Refused here, at load time, rather than later by batches with a message about batch sizes.
  if (count === 0) throw new DatasetFormatError(`${source}: no images (a dataset needs at least one)`);
  const expected = count * shape[0] * shape[1] * shape[2];
  if (!(images instanceof Uint8Array) && !(images instanceof Float32Array)) {
    throw new InvalidArgumentError(`${source}: images must be a Uint8Array or Float32Array, got ${describeValue(images)}`);
  }
  if (images.length !== expected) {
    throw new DatasetFormatError(
      `${source}: expected ${count} images of ${shape.join('×')} (${expected} values), found ${images.length} values`,
    );
  }
  if (images instanceof Float32Array) {
    const bad = images.findIndex((v) => !(v >= 0 && v <= 1));
    if (bad >= 0) throw new DatasetFormatError(`${source}: float32 pixels must be in [0, 1], found ${images[bad]} at index ${bad}`);
  }
  if (labels !== undefined) {
    if (!(labels instanceof Int32Array)) throw new InvalidArgumentError(`${source}: labels must be an Int32Array, got ${describeValue(labels)}`);
    if (labels.length !== count) {
      throw new DatasetFormatError(`${source}: ${count} images but ${labels.length} labels`);
    }
    const bad = labels.findIndex((l) => l < 0 || l >= classNames.length);
    if (bad >= 0) {
      throw new DatasetFormatError(
        `${source}: label ${labels[bad]} at index ${bad} is outside [0, ${classNames.length}) for the ${classNames.length} classes`,
      );
    }
  }
  return Object.freeze({ ...parts, shape: Object.freeze([...shape]) as unknown as ImageShape, classNames: Object.freeze([...classNames]) });
}

/** The images of `indices` as one contiguous array (same element type). */
export function gatherImages(dataset: Dataset, indices: ArrayLike<number>): Uint8Array | Float32Array {
  const size = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  const out = dataset.images instanceof Uint8Array ? new Uint8Array(indices.length * size) : new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const at = indices[i]! * size;
    out.set(dataset.images.subarray(at, at + size), i * size);
  }
  return out;
}

/** A dataset holding only the images (and labels) at `indices`, in that order. */
export function subset(dataset: Dataset, indices: ArrayLike<number>, split = dataset?.split): Dataset {
  if (!datasetSchema.safeParse(dataset).success) throw new InvalidArgumentError(`subset: expected a Dataset (from a loader or fromArrays), got ${describeValue(dataset)}`);
  if (!Array.isArray(indices) && !(ArrayBuffer.isView(indices) && !(indices instanceof DataView))) {
    throw new InvalidArgumentError(`subset: indices must be an array of image indices, got ${describeValue(indices)}`);
  }
  for (let i = 0; i < indices.length; i++) {
    const index: unknown = indices[i];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= dataset.count) {
      throw new InvalidArgumentError(`subset: indices[${i}]: expected an integer in [0, ${dataset.count}), got ${describeValue(index)}`);
    }
  }
  const labels = dataset.labels === undefined ? undefined : Int32Array.from(indices, (i) => dataset.labels![i]!);
  return createDataset(
    { ...dataset, split, count: indices.length, images: gatherImages(dataset, indices), ...(labels === undefined ? {} : { labels }) },
    `subset of ${dataset.name}`,
  );
}
