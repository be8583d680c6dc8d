import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFormatError } from '@dgm/core';
import type { DatasetSource, RemoteFile } from '../source.js';
import { defaultCacheDir, downloadFile } from './download.js';

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
