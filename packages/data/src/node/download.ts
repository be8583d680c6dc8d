import { createHash } from 'node:crypto';
import { lstat, open, readFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { DownloadError, parseOptions } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';


export interface DownloadFileOptions {
  readonly url: string;
  /** Expected SHA-256 of the file, hex. */
  readonly sha256: string;
  /** Where the verified file ends up. */
  readonly dest: string;
  /** Added to network errors: what to do instead when offline. */
  readonly offlineHint?: string;
  readonly signal?: AbortSignal;
}

const schema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'expected 64 hex digits' }),
  dest: z.string().min(1),
  offlineHint: z.string().optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'expected an AbortSignal' }).optional(),
});

/**
 * Downloads `url` to `dest` unless a file with the right SHA-256 is already there. The body
 * goes to a temporary file next to `dest`, is hashed on the way, and is renamed into place
 * only when complete and verified: an interrupted or corrupted download never leaves a file
 * at `dest`.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<string> {
  const { url, sha256, dest, offlineHint, signal } = parseOptions(schema, options, 'downloadFile');
  const expected = sha256.toLowerCase();
  if ((await fileSha256(dest)) === expected) return dest;
  const hint = offlineHint === undefined ? '' : `; ${offlineHint}`;
  let response: Response;
  try {
    response = await fetch(url, signal === undefined ? {} : { signal });
  } catch (error) {
    const reason = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DownloadError(`could not download ${url}: ${reason?.code ?? reason?.message ?? (error as Error).message}${hint}`, {
      cause: error,
    });
  }
  if (!response.ok || response.body === null) {
    throw new DownloadError(`could not download ${url}: HTTP ${response.status} ${response.statusText}${hint}`);
  }
  const body = response.body as unknown as AsyncIterable<Uint8Array>;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  await writeAtomically(dest, async (partial) => {
    const hash = createHash('sha256');
    let received = 0;
    const file = await open(partial, 'w');
    try {
      for await (const chunk of body) {
        hash.update(chunk);
        received += chunk.length;
        await file.write(chunk);
      }
    } catch (error) {
      throw new DownloadError(`download of ${url} was cut off after ${received} bytes${Number.isFinite(declared) ? ` of ${declared}` : ''}`, {
        cause: error,
      });
    } finally {
      await file.close();
    }
    if (Number.isFinite(declared) && received !== declared) {
      throw new DownloadError(`download of ${url} is incomplete: ${received} of ${declared} bytes`);
    }
    const actual = hash.digest('hex');
    if (actual !== expected) {
      throw new DownloadError(`download of ${url} is corrupted: SHA-256 ${actual}, expected ${expected} (${received} bytes)`);
    }
  });
  return dest;
}

/** The SHA-256 of a file, or undefined if it does not exist or is a symlink (never followed: the download replaces it). */
async function fileSha256(path: string): Promise<string | undefined> {
  try {
    if (!(await lstat(path)).isFile()) return undefined;
    return createHash('sha256').update(await readFile(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** Where downloads are cached: $DGM_CACHE_DIR, else $XDG_CACHE_HOME/dgm, else ~/.cache/dgm. */
export function defaultCacheDir(): string {
  return process.env['DGM_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(os.homedir(), '.cache'), 'dgm');
}
