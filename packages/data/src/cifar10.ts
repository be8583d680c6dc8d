import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar';
import { DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import { createDataset, type Dataset } from './dataset.js';
import { defaultCacheDir, downloadFile } from './download.js';
import { checkSource, type DatasetSource } from './source.js';

export const cifar10ClassNames = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

const archive = {
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
  folder: 'cifar-10-batches-bin',
};
const files = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
};
const RECORD = 1 + 3 * 32 * 32;

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

  const parts = await Promise.all(files[split].map(async (name) => ({ name, bytes: await readBatch(join(dir, name)) })));
  const count = parts.reduce((n, p) => n + p.bytes.length / RECORD, 0);
  const images = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  let at = 0;
  for (const { name, bytes } of parts) {
    for (let r = 0; r < bytes.length / RECORD; r++, at++) {
      const record = r * RECORD;
      labels[at] = bytes[record]!;
      if (bytes[record]! >= 10) {
        throw new DatasetFormatError(`${join(dir, name)}: record ${r} has label ${bytes[record]}, expected 0–9`);
      }
      // Planes (CHW) to interleaved pixels (HWC).
      const out = at * 3072;
      for (let p = 0; p < 1024; p++) {
        images[out + 3 * p] = bytes[record + 1 + p]!;
        images[out + 3 * p + 1] = bytes[record + 1 + 1024 + p]!;
        images[out + 3 * p + 2] = bytes[record + 1 + 2048 + p]!;
      }
    }
  }
  return createDataset(
    { name: 'cifar10', split, shape: [32, 32, 3], count, classNames: await classNames(dir), images, labels },
    dir,
  );
}

async function readBatch(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new DatasetFormatError(`loadCifar10: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new DatasetFormatError(
      `${path}: truncated or not a CIFAR-10 binary batch: ${bytes.length} bytes is not a whole number of ${RECORD}-byte records`,
    );
  }
  return bytes;
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
