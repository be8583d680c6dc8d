import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar';
import * as z from 'zod';
import { DatasetFormatError, InvalidArgumentError, parseOptions } from '@dgm/core';
import { checkCifar10Batch, datasetFromCifar10Batches, type Cifar10Batch } from '../cifar10-batches.js';
import { cifar10ClassNames } from '../class-names.js';
import { loadCifar10 as loadCifar10Batches, type LoadCifar10BatchesOptions } from '../load-cifar10-batches.js';
import type { Dataset } from '../dataset.js';
import { positiveInt } from '../options.js';
import { sourceSchema, type DatasetSource } from '../source.js';
import { defaultMaxBytes, listFolder, readInside, realFolder, resolveAny } from './contained.js';
import { defaultCacheDir, downloadFile } from './download.js';

const archive = {
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
  folder: 'cifar-10-batches-bin',
};
const files = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
};

/** A folder or the official download; or the URLs or bytes of the main entry's `loadCifar10`. */
export type LoadCifar10Options = LoadCifar10NodeOptions | LoadCifar10BatchesOptions;

export interface LoadCifar10NodeOptions {
  /** Default 'train' (data_batch_1–5, 50,000 images); 'test' is test_batch (10,000). */
  readonly split?: 'train' | 'test';
  /** `{ dir }`: the folder with the .bin files (or its parent); `{ download }`: the official archive. */
  readonly source: Exclude<DatasetSource, 'embedded'>;
  /** Largest batch file read. Default 512 MiB. */
  readonly maxBytes?: number;
}

const schema = z.strictObject({
  split: z.literal(['train', 'test']).optional(),
  source: sourceSchema,
  maxBytes: positiveInt.optional(),
});

/**
 * CIFAR-10 from its binary version: records of 1 label byte and 3,072 pixel bytes
 * (red, green, blue planes of 32×32, row by row), returned as 32×32×3 uint8 NHWC. Every
 * file read must resolve inside the given folder (or the cache folder).
 */
export async function loadCifar10(options: LoadCifar10Options): Promise<Dataset> {
  const given = (options as { source?: unknown } | undefined)?.source;
  if (typeof given === 'object' && given !== null && 'batches' in given) return loadCifar10Batches(options as LoadCifar10BatchesOptions);
  if (given === 'embedded') {
    throw new InvalidArgumentError("loadCifar10: no npm package ships CIFAR-10; pass source: { dir } with the binary batches, { batches } with their URLs or bytes, or { download: true }");
  }
  const { split = 'train', source, maxBytes = defaultMaxBytes } = parseOptions(schema, options, 'loadCifar10');
  if (source === 'embedded') throw new InvalidArgumentError('loadCifar10: no npm package ships CIFAR-10');
  const { root, dir } = 'dir' in source ? await batchesDir(source.dir) : await downloadArchive(source.download);

  // In order, so that an error names the first missing or broken batch.
  const batches: Cifar10Batch[] = [];
  for (const name of files[split]) batches.push(await readBatch(root, join(dir, name), maxBytes));
  return datasetFromCifar10Batches({ split, batches, classNames: await classNames(root, dir, maxBytes), source: dir });
}

async function readBatch(root: string, path: string, maxBytes: number): Promise<Cifar10Batch> {
  const bytes = await readInside(root, path, maxBytes, 'loadCifar10');
  checkCifar10Batch({ path, bytes });
  return { path, bytes };
}

/**
 * The folder with the batches: `dir` itself or its cifar-10-batches-bin subfolder, which
 * must stay inside `dir` (`root`: the real path of `dir`).
 */
async function batchesDir(given: string): Promise<{ root: string; dir: string }> {
  const root = await realFolder(given, 'loadCifar10');
  for (const candidate of [root, join(root, archive.folder)]) {
    const entries = await readdir(candidate).catch(() => [] as string[]);
    if (entries.includes(files.test[0]!)) {
      return { root, dir: candidate === root ? root : (await resolveAny(root, candidate, 'loadCifar10')).real };
    }
  }
  throw new DatasetFormatError(`loadCifar10: no ${files.test[0]} in ${given} or ${join(given, archive.folder)}`);
}

async function downloadArchive(download: true | { readonly cacheDir?: string | undefined; readonly baseUrl?: string | undefined }): Promise<{ root: string; dir: string }> {
  const options = download === true ? {} : download;
  const folder = join(options.cacheDir ?? defaultCacheDir(), 'cifar10');
  const url = options.baseUrl === undefined ? archive.url : new URL('cifar-10-binary.tar.gz', options.baseUrl).href;
  const file = await downloadFile({
    url,
    sha256: archive.sha256,
    dest: join(folder, 'cifar-10-binary.tar.gz'),
    offlineHint: 'offline, copy the binary batches to a folder and pass source: { dir }',
  });
  await extract({ file, cwd: folder, strict: true });
  const root = await realFolder(folder, 'loadCifar10');
  return { root, dir: (await resolveAny(root, join(root, archive.folder), 'loadCifar10')).real };
}

/**
 * Class names from batches.meta.txt when present (exactly ten, one a line, blank lines
 * ignored), else the standard ten. A file with another count is a DatasetFormatError.
 */
async function classNames(root: string, dir: string, maxBytes: number): Promise<readonly string[]> {
  const path = join(dir, 'batches.meta.txt');
  const present = (await listFolder(dir, 'loadCifar10')).some((entry) => entry.name === 'batches.meta.txt');
  if (!present) return cifar10ClassNames;
  const text = new TextDecoder().decode(await readInside(root, path, Math.min(maxBytes, 1 << 20), 'loadCifar10'));
  const names = text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  if (names.length !== 10) {
    throw new DatasetFormatError(`loadCifar10: ${path} names ${names.length} classes, expected 10 (one name a line)`);
  }
  return names;
}
