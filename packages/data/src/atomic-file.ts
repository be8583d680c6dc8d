import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `dest` atomically: `write` fills a temporary file next to it, which is renamed to
 * `dest` only if `write` succeeds; on failure it is removed and `dest` is untouched.
 */
export async function writeAtomically(dest: string, write: (partial: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const partial = `${dest}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  try {
    await write(partial);
    await rename(partial, dest);
  } finally {
    await rm(partial, { force: true });
  }
}
