import { mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CheckpointError, DgmError } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';
import type { AdamState } from '../adam.js';

/** What a file-system error code means for a run folder. */
const reasons: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way',
  EISDIR: 'a folder is where a file should be',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** A file-system error of a run folder as a CheckpointError naming what failed, where, and why (the error as its cause). */
export function checkpointFault(error: unknown, what: string): DgmError {
  if (DgmError.isInstance(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' && Object.hasOwn(reasons, code) ? `${reasons[code]} (${code})` : 'failed';
  return new CheckpointError(`${what}: ${reason}: ${(error as Error | null)?.message ?? String(error)}`, { cause: error });
}

/** Virtual file systems where a run folder makes no sense (Node's recursive mkdir busy-loops under /proc). */
const virtualRoots = ['/proc', '/sys', '/dev'];
const isVirtual = (path: string) => virtualRoots.some((root) => path === root || path.startsWith(`${root}/`));

/** Refuses a run folder on a virtual file system, by its path as given (no file-system access). */
export function refuseVirtualRunDir(runDir: string, caller: string): void {
  const path = resolve(runDir);
  if (isVirtual(path)) throw new CheckpointError(`${caller}: runDir ${path} is under ${virtualRoots.find((root) => path === root || path.startsWith(`${root}/`))}, a virtual file system: give a folder on a disk`);
}

/** Leftovers of a write a killed process never finished: `.step-NNNNNNN-….tmp` folders and `latest.json.<pid>-<hex>.part` files. */
const leftover = (entry: string) => /^\.step-\d{7}-.*\.tmp$/.test(entry) || /^latest\.json\..+\.part$/.test(entry);

/**
 * Checks that checkpoints can be written to runDir before training starts: refuses a folder
 * on a virtual file system (also through symlinks), creates runDir/checkpoints, writes and
 * removes a probe file, and removes what a killed write left behind. Every failure is a
 * CheckpointError that names the folder, with the file-system error as its cause.
 */
export async function prepareRunFolder(runDir: string, caller: string): Promise<void> {
  refuseVirtualRunDir(runDir, caller);
  const root = join(runDir, 'checkpoints');
  const real = await realExistingAncestor(resolve(root));
  if (isVirtual(real)) throw new CheckpointError(`${caller}: runDir ${runDir} leads to ${real}, a virtual file system: give a folder on a disk`);
  const what = `${caller}: cannot write checkpoints to ${root}`;
  try {
    await mkdir(root, { recursive: true });
    const probe = join(root, `.probe-${process.pid}-${Date.now()}`);
    try {
      await writeFile(probe, 'dgm');
    } finally {
      await rm(probe, { force: true });
    }
    for (const entry of await readdir(root)) if (leftover(entry)) await rm(join(root, entry), { recursive: true, force: true });
  } catch (error) {
    throw checkpointFault(error, what);
  }
}

/** The real path of the nearest ancestor of `path` that exists (or of `path` itself). */
async function realExistingAncestor(path: string): Promise<string> {
  for (let at = path; ; at = dirname(at)) {
    try {
      return await realpath(at);
    } catch {
      if (dirname(at) === at) return at;
    }
  }
}

/**
 * Writes a checkpoint under runDir/checkpoints: `fill` writes into a temporary folder, which
 * is renamed to step-NNNNNNN when complete, then `latest.json` is switched to it atomically.
 * A process killed at any point leaves the previous checkpoint loadable. Keeps the `keep`
 * newest. A failure (a full disk, a read-only folder) removes the temporary folder and is a
 * CheckpointError with the file-system error as its cause.
 */
export async function writeCheckpointFolder(runDir: string, step: number, fill: (dir: string) => Promise<void>, keep = 2): Promise<string> {
  refuseVirtualRunDir(runDir, 'fileSystemStore');
  const root = join(runDir, 'checkpoints');
  const name = `step-${String(step).padStart(7, '0')}`;
  const partial = join(root, `.${name}-${process.pid}-${Date.now()}.tmp`);
  const final = join(root, name);
  try {
    await mkdir(partial, { recursive: true });
    await fill(partial);
    await rm(final, { recursive: true, force: true });
    await rename(partial, final);
    await writeAtomically(join(root, 'latest.json'), JSON.stringify({ checkpoint: name }));
  } catch (error) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw checkpointFault(error, `cannot write checkpoint ${name} to ${root}`);
  }
  try {
    // Older checkpoints beyond `keep`, and folders of writes that never finished.
    const entries = (await readdir(root)).filter((e) => e !== 'latest.json');
    const complete = entries.filter((e) => /^step-\d{7}$/.test(e)).sort();
    for (const entry of entries) {
      const stale = complete.includes(entry) && complete.indexOf(entry) < complete.length - keep;
      if (entry.endsWith('.tmp') || stale) await rm(join(root, entry), { recursive: true, force: true });
    }
  } catch (error) {
    throw checkpointFault(error, `wrote checkpoint ${name} to ${root}, but cannot remove older ones`);
  }
  return final;
}

/** The checkpoint folder `latest.json` of runDir points to. */
export async function latestCheckpointFolder(runDir: string): Promise<string> {
  const root = join(runDir, 'checkpoints');
  let name: string;
  try {
    name = (JSON.parse(await readFile(join(root, 'latest.json'), 'utf8')) as { checkpoint: string }).checkpoint;
  } catch (error) {
    throw new CheckpointError(`no checkpoint in ${runDir}: cannot read ${join(root, 'latest.json')}`, { cause: error });
  }
  if (!/^step-\d{7}$/.test(name)) throw new CheckpointError(`${join(root, 'latest.json')} names ${JSON.stringify(name)}, not a checkpoint folder`);
  return join(root, name);
}

/** Where each optimizer's moments lie in optimizers.bin. */
export type OptimizerLayout = Record<string, { readonly step: number; readonly sizes: readonly number[] }>;

/** Writes the moments of named Adam states to dir/optimizers.bin (float32) and returns their layout. */
export async function writeOptimizerStates(dir: string, states: Record<string, AdamState>): Promise<OptimizerLayout> {
  const parts = Object.values(states).flatMap((s) => [...s.firstMoments, ...s.secondMoments]);
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  await writeAtomically(join(dir, 'optimizers.bin'), new Uint8Array(all.buffer));
  return Object.fromEntries(Object.entries(states).map(([name, s]) => [name, { step: s.step, sizes: s.firstMoments.map((m) => m.length) }]));
}

/** Reads what `writeOptimizerStates` wrote, checking the file against the layout. */
export async function readOptimizerStates(dir: string, layout: OptimizerLayout): Promise<Record<string, AdamState>> {
  const bytes = await readFile(join(dir, 'optimizers.bin'));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  const take = (sizes: readonly number[]) =>
    sizes.map((n) => {
      const part = all.slice(offset, offset + n);
      offset += n;
      return part;
    });
  const states = Object.fromEntries(Object.entries(layout).map(([name, l]) => [name, { step: l.step, firstMoments: take(l.sizes), secondMoments: take(l.sizes) }]));
  if (offset !== all.length) throw new CheckpointError(`${dir}/optimizers.bin holds ${all.length} values, its layout ${offset}`);
  return states;
}
