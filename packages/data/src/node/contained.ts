import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { DatasetFormatError } from '@dgm/core';
import { isPathBelow } from '@dgm/core/node';

export { defaultMaxBytes } from '../read-bytes.js';

const message = (error: unknown) => (error as { code?: string }).code ?? (error as Error).message;

/** The real path of a dataset folder (symlinks resolved): every file read from it must stay below it. */
export async function realFolder(dir: string, caller: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (error) {
    throw new DatasetFormatError(`${caller}: cannot read ${dir}: ${message(error)}`, { cause: error });
  }
  if (!(await statOf(real, dir, caller)).isDirectory()) throw new DatasetFormatError(`${caller}: ${dir} is not a folder`);
  return real;
}

/**
 * The real path of `path`, a file or folder of the dataset folder `root` (a real path): a
 * DatasetFormatError names it when it is missing, a dangling symlink, of the wrong kind (a
 * folder named `x.png`), or when it resolves outside `root` (a symlink to /etc/passwd, a
 * symlinked subfolder pointing elsewhere).
 */
export async function resolveInside(root: string, path: string, kind: 'file' | 'folder', caller: string): Promise<string> {
  const { real, isFolder, isFile } = await resolveAny(root, path, caller);
  if (kind === 'file' ? !isFile : !isFolder) {
    throw new DatasetFormatError(`${caller}: ${path} is ${isFolder ? 'a folder' : 'not a regular file'}, expected a ${kind}`);
  }
  return real;
}

/** The real path of `path` inside `root` (see resolveInside), whatever it is. */
export async function resolveAny(root: string, path: string, caller: string): Promise<{ real: string; isFolder: boolean; isFile: boolean }> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    const dangling = await lstat(path).then((s) => s.isSymbolicLink(), () => false);
    throw new DatasetFormatError(`${caller}: ${path} ${dangling ? 'is a dangling symlink' : `cannot be read (${message(error)})`}`, { cause: error });
  }
  if (real !== root && !isPathBelow(root, real)) {
    throw new DatasetFormatError(`${caller}: ${path} resolves to ${real}, outside the dataset folder ${root}; symlinks may not leave it`);
  }
  const info = await statOf(real, path, caller);
  return { real, isFolder: info.isDirectory(), isFile: info.isFile() };
}

/**
 * Reads the file `path` of the dataset folder `root` (a real path) after `resolveInside`,
 * refusing one larger than `maxBytes` from its size, before reading it.
 */
export async function readInside(root: string, path: string, maxBytes: number, caller: string): Promise<Uint8Array> {
  const real = await resolveInside(root, path, 'file', caller);
  let file;
  try {
    // O_NOFOLLOW: the resolved path must not have been swapped for a symlink in between.
    file = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    throw new DatasetFormatError(`${caller}: cannot read ${path}: ${message(error)}`, { cause: error });
  }
  try {
    const { size } = await file.stat();
    if (size > maxBytes) {
      throw new DatasetFormatError(`${caller}: ${path} has ${size} bytes, more than maxBytes = ${maxBytes}; pass a larger maxBytes to read it`);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await file.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    if (at !== size) throw new DatasetFormatError(`${caller}: ${path} changed while being read (${at} of ${size} bytes)`);
    return bytes;
  } catch (error) {
    if (DatasetFormatError.isInstance(error)) throw error;
    throw new DatasetFormatError(`${caller}: cannot read ${path}: ${message(error)}`, { cause: error });
  } finally {
    await file.close();
  }
}

async function statOf(real: string, path: string, caller: string) {
  try {
    return await stat(real);
  } catch (error) {
    throw new DatasetFormatError(`${caller}: cannot read ${path}: ${message(error)}`, { cause: error });
  }
}

/** The entries of a folder, with their types; a DatasetFormatError naming it when it cannot be read. */
export async function listFolder(path: string, caller: string) {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    throw new DatasetFormatError(`${caller}: cannot read ${path}: ${message(error)}`, { cause: error });
  }
}
