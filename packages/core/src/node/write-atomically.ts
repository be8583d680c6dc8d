import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `dest` atomically: the content goes to a temporary file next to it, renamed to
 * `dest` only when complete; on failure the temporary file is removed and `dest` is left as
 * it was. `content` is the bytes or text, or a function that fills the temporary file.
 */
export async function writeAtomically(dest: string, content: Uint8Array | string | ((partial: string) => Promise<void>)): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const partial = `${dest}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  try {
    if (typeof content === 'function') await content(partial);
    else await writeFile(partial, content);
    await rename(partial, dest);
  } finally {
    await rm(partial, { force: true });
  }
}
