import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFormatError } from '@dgm/core';
import type { DatasetSource, RemoteFile } from '../source.js';
import { readInside, realFolder } from './contained.js';
import { defaultCacheDir, downloadFile } from './download.js';

/**
 * Reads one of the dataset's files from a folder (either its plain or its .gz name) or
 * downloads it into the cache; either way the file must resolve inside its folder (the
 * source folder, or the dataset's cache folder) and have at most `maxBytes`.
 */
export async function readSourceFile(
  source: Exclude<DatasetSource, 'embedded'>,
  file: RemoteFile,
  dataset: { readonly name: string; readonly baseUrl: string; readonly offlineHint: string },
  maxBytes: number,
): Promise<{ path: string; bytes: Uint8Array }> {
  if ('dir' in source) {
    const root = await realFolder(source.dir, dataset.name);
    const candidates = file.name.endsWith('.gz') ? [file.name.slice(0, -3), file.name] : [file.name];
    for (const name of candidates) {
      const path = join(source.dir, name);
      if (await exists(path)) return { path, bytes: await readInside(root, join(root, name), maxBytes, dataset.name) };
    }
    throw new DatasetFormatError(`${dataset.name}: ${source.dir} has no ${candidates.join(' or ')}`);
  }
  const options = source.download === true ? {} : source.download;
  const url = new URL(file.name, options.baseUrl ?? dataset.baseUrl).href;
  const folder = join(options.cacheDir ?? defaultCacheDir(), dataset.name);
  const path = await downloadFile({ url, sha256: file.sha256, dest: join(folder, file.name), offlineHint: dataset.offlineHint });
  const root = await realFolder(folder, dataset.name);
  return { path, bytes: await readInside(root, join(root, file.name), maxBytes, dataset.name) };
}

/** Whether the folder has an entry by that name (a dangling symlink included, so that reading it reports it). */
async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
