import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar';
import { DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import { checkCifar10Batch, datasetFromCifar10Batches, type Cifar10Batch } from '../cifar10-batches.js';
import { cifar10ClassNames } from '../class-names.js';
import type { Dataset } from '../dataset.js';
import { checkSource, type DatasetSource } from '../source.js';
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

export interface LoadCifar10Options {
  /** Default 'train' (data_batch_1–5, 50,000 images); 'test' is test_batch (10,000). */
  readonly split?: 'train' | 'test';
  /** `{ dir }`: the folder with the .bin files (or its parent); `{ download }`: the official archive. */
  readonly source: Exclude<DatasetSource, 'embedded'>;
}

/**
 * CIFAR-10 from its binary version: records of 1 label byte and 3,072 pixel bytes
 * (red, green, blue planes of 32×32, row by row), returned as 32×32×3 uint8 NHWC.
 */
export async function loadCifar10(options: LoadCifar10Options): Promise<Dataset> {
  const { split = 'train', source } = options ?? ({} as LoadCifar10Options);
  if (split !== 'train' && split !== 'test') throw new InvalidArgumentError(`loadCifar10: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  if (source === ('embedded' as unknown)) {
    throw new InvalidArgumentError("loadCifar10: no npm package ships CIFAR-10; pass source: { dir } with the binary batches, or { download: true }");
  }
  const checked = checkSource(source, 'loadCifar10') as LoadCifar10Options['source'];
  const dir = 'dir' in checked ? await batchesDir(checked.dir) : await downloadArchive(checked.download);

  // In order, so that an error names the first missing or broken batch.
  const batches: Cifar10Batch[] = [];
  for (const name of files[split]) batches.push(await readBatch(join(dir, name)));
  return datasetFromCifar10Batches({ split, batches, classNames: await classNames(dir), source: dir });
}

async function readBatch(path: string): Promise<Cifar10Batch> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new DatasetFormatError(`loadCifar10: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  checkCifar10Batch({ path, bytes });
  return { path, bytes };
}

/** The folder with the batches: `dir` itself or its cifar-10-batches-bin subfolder. */
async function batchesDir(dir: string): Promise<string> {
  for (const candidate of [dir, join(dir, archive.folder)]) {
    try {
      await access(join(candidate, files.test[0]!));
      return candidate;
    } catch {
      // try the next
    }
  }
  throw new DatasetFormatError(`loadCifar10: no ${files.test[0]} in ${dir} or ${join(dir, archive.folder)}`);
}

async function downloadArchive(download: true | { readonly cacheDir?: string; readonly baseUrl?: string }): Promise<string> {
  const options = download === true ? {} : download;
  const root = join(options.cacheDir ?? defaultCacheDir(), 'cifar10');
  const url = options.baseUrl === undefined ? archive.url : new URL('cifar-10-binary.tar.gz', options.baseUrl).href;
  const file = await downloadFile({
    url,
    sha256: archive.sha256,
    dest: join(root, 'cifar-10-binary.tar.gz'),
    offlineHint: 'offline, copy the binary batches to a folder and pass source: { dir }',
  });
  await extract({ file, cwd: root, strict: true });
  return join(root, archive.folder);
}

/** Class names from batches.meta.txt when present, else the standard ten. */
async function classNames(dir: string): Promise<readonly string[]> {
  try {
    const names = (await readFile(join(dir, 'batches.meta.txt'), 'utf8')).split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
    if (names.length === 10) return names;
  } catch {
    // absent: the standard names
  }
  return cifar10ClassNames;
}
