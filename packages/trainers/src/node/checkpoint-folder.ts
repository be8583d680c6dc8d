import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';
import type { AdamState } from '../adam.js';

/**
 * Writes a checkpoint under runDir/checkpoints: `fill` writes into a temporary folder, which
 * is renamed to step-NNNNNNN when complete, then `latest.json` is switched to it atomically.
 * A process killed at any point leaves the previous checkpoint loadable. Keeps the `keep` newest.
 */
export async function writeCheckpointFolder(runDir: string, step: number, fill: (dir: string) => Promise<void>, keep = 2): Promise<string> {
  const root = join(runDir, 'checkpoints');
  const name = `step-${String(step).padStart(7, '0')}`;
  const partial = join(root, `.${name}-${process.pid}-${Date.now()}.tmp`);
  await mkdir(partial, { recursive: true });
  await fill(partial);
  const final = join(root, name);
  await rm(final, { recursive: true, force: true });
  await rename(partial, final);
  await writeAtomically(join(root, 'latest.json'), JSON.stringify({ checkpoint: name }));
  // Older checkpoints beyond `keep`, and folders of writes that never finished.
  const entries = (await readdir(root)).filter((e) => e !== 'latest.json');
  const complete = entries.filter((e) => /^step-\d{7}$/.test(e)).sort();
  for (const entry of entries) {
    const stale = complete.includes(entry) && complete.indexOf(entry) < complete.length - keep;
    if (entry.endsWith('.tmp') || stale) await rm(join(root, entry), { recursive: true, force: true });
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
