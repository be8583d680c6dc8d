import { DatasetFormatError } from '@dgm/core';
import { createDataset, type Dataset } from './dataset.js';

/** Bytes of one record of CIFAR-10's binary version: a label, then 32×32 red, green and blue planes. */
export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;

/** One binary batch file's bytes and the name its errors give. */
export interface Cifar10Batch {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface Cifar10BatchesOptions {
  readonly split: 'train' | 'test';
  readonly batches: readonly Cifar10Batch[];
  readonly classNames: readonly string[];
  /** Where the batches came from, for messages. */
  readonly source: string;
}

/** Checks that `bytes` is a whole number of CIFAR-10 records. */
export function checkCifar10Batch({ path, bytes }: Cifar10Batch): void {
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new DatasetFormatError(
      `${path}: truncated or not a CIFAR-10 binary batch: ${bytes.length} bytes is not a whole number of ${CIFAR10_RECORD_BYTES}-byte records`,
    );
  }
}

/** CIFAR-10 binary batches as one 32×32×3 uint8 NHWC dataset (planes interleaved into pixels). */
export function datasetFromCifar10Batches({ split, batches, classNames, source }: Cifar10BatchesOptions): Dataset {
  batches.forEach(checkCifar10Batch);
  const count = batches.reduce((n, b) => n + b.bytes.length / CIFAR10_RECORD_BYTES, 0);
  const images = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  let at = 0;
  for (const { path, bytes } of batches) {
    for (let r = 0; r < bytes.length / CIFAR10_RECORD_BYTES; r++, at++) {
      const record = r * CIFAR10_RECORD_BYTES;
      labels[at] = bytes[record]!;
      if (bytes[record]! >= 10) throw new DatasetFormatError(`${path}: record ${r} has label ${bytes[record]}, expected 0–9`);
      interleavePlanes(bytes.subarray(record + 1, record + CIFAR10_RECORD_BYTES), images.subarray(at * 3072, (at + 1) * 3072));
    }
  }
  return createDataset({ name: 'cifar10', split, shape: [32, 32, 3], count, classNames, images, labels }, source);
}

/** Red, green and blue planes (CHW) to interleaved pixels (HWC). */
function interleavePlanes(planes: Uint8Array, pixels: Uint8Array): void {
  for (let p = 0; p < 1024; p++) {
    pixels[3 * p] = planes[p]!;
    pixels[3 * p + 1] = planes[1024 + p]!;
    pixels[3 * p + 2] = planes[2048 + p]!;
  }
}
