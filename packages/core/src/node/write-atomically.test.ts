import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeAtomically } from './write-atomically.js';

it('writeAtomically replaces a file only when the new content is complete', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dgm-atomic-'));
  const path = join(dir, 'sub', 'file.txt');
  await writeAtomically(path, 'first');
  await writeAtomically(path, new TextEncoder().encode('second'));
  expect(await readFile(path, 'utf8')).toBe('second');
  const failing = writeAtomically(path, async (partial) => {
    await writeFile(partial, 'half of the third');
    throw new Error('disk full');
  });
  await expect(failing).rejects.toThrow('disk full');
  expect(await readFile(path, 'utf8')).toBe('second');
  expect(await readdir(join(dir, 'sub'))).toEqual(['file.txt']);
  await rm(dir, { recursive: true });
});
