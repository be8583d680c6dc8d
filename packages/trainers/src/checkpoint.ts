import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError, type RandomState } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';
import type { BatchStreamState } from '@dgm/data';
import { fileSystemHandler, loadGan, saveGan, type Gan } from '@dgm/models';
import type { AdamState } from './adam.js';
import type { GanRecipe } from './recipe.js';

/** Everything besides the models that a run needs to continue exactly. Plain JSON. */
export interface TrainingState {
  readonly step: number;
  readonly epoch: number;
  readonly seed: number;
  readonly random: RandomState;
  readonly data: BatchStreamState;
  readonly labeledData?: BatchStreamState;
  readonly recipe: GanRecipe;
  readonly learningRates: { readonly generator: number; readonly discriminator: number };
  readonly emaDecay?: number;
}

export interface Checkpoint {
  readonly gan: Gan;
  readonly ema?: tfl.LayersModel;
  readonly optimizers: { readonly generator: AdamState; readonly discriminator: AdamState };
  readonly state: TrainingState;
}

const FORMAT = 'dgm-checkpoint/1';

/**
 * Writes a checkpoint under runDir/checkpoints: into a temporary folder, renamed to
 * step-NNNNNNN when complete, then `latest.json` is switched to it atomically. A process
 * killed at any point leaves the previous checkpoint loadable. Keeps the `keep` newest.
 */
export async function writeCheckpoint(runDir: string, checkpoint: Checkpoint, keep = 2): Promise<string> {
  const root = join(runDir, 'checkpoints');
  const name = `step-${String(checkpoint.state.step).padStart(7, '0')}`;
  const partial = join(root, `.${name}-${process.pid}-${Date.now()}.tmp`);
  await mkdir(partial, { recursive: true });
  await saveGan({ dir: partial, gan: checkpoint.gan });
  if (checkpoint.ema !== undefined) await checkpoint.ema.save(fileSystemHandler({ dir: join(partial, 'generator-ema') }));
  const { generator, discriminator } = checkpoint.optimizers;
  const moments = [...generator.firstMoments, ...generator.secondMoments, ...discriminator.firstMoments, ...discriminator.secondMoments];
  await writeFile(join(partial, 'optimizers.bin'), concat(moments));
  const layout = (s: AdamState) => ({ step: s.step, sizes: s.firstMoments.map((m) => m.length) });
  await writeFile(join(partial, 'state.json'), JSON.stringify({ format: FORMAT, state: checkpoint.state, optimizers: { generator: layout(generator), discriminator: layout(discriminator) } }, null, 2));
  const final = join(root, name);
  await rm(final, { recursive: true, force: true });
  await rename(partial, final);
  await writeAtomically(join(root, 'latest.json'), JSON.stringify({ checkpoint: name }));
  // Older checkpoints beyond `keep`, and folders of writes that never finished.
  const entries = (await readdir(root)).filter((e) => e !== 'latest.json');
  const complete = entries.filter((e) => /^step-\d{7}$/.test(e)).sort();
  for (const entry of entries) {
    const stale = complete.includes(entry) && complete.indexOf(entry) < complete.length - keep;
    if (entry.endsWith('.tmp') || stale) {
      await rm(join(root, entry), { recursive: true, force: true });
    }
  }
  return final;
}

/** Reads the checkpoint `latest.json` of runDir points to. */
export async function readCheckpoint(runDir: string): Promise<Checkpoint & { dir: string }> {
  const root = join(runDir, 'checkpoints');
  let name: string;
  try {
    name = (JSON.parse(await readFile(join(root, 'latest.json'), 'utf8')) as { checkpoint: string }).checkpoint;
  } catch (error) {
    throw new CheckpointError(`no checkpoint in ${runDir}: cannot read ${join(root, 'latest.json')}`, { cause: error });
  }
  if (!/^step-\d{7}$/.test(name)) throw new CheckpointError(`${join(root, 'latest.json')} names ${JSON.stringify(name)}, not a checkpoint folder`);
  const dir = join(root, name);
  const saved = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as {
    format: string;
    state: TrainingState;
    optimizers: Record<'generator' | 'discriminator', { step: number; sizes: number[] }>;
  };
  if (saved.format !== FORMAT) throw new CheckpointError(`${dir}: format ${JSON.stringify(saved.format)}, expected ${FORMAT}`);
  const gan = await loadGan({ dir });
  const emaDir = join(dir, 'generator-ema');
  const ema = saved.state.emaDecay === undefined ? undefined : await tfl.loadLayersModel(fileSystemHandler({ dir: emaDir }));
  const bytes = await readFile(join(dir, 'optimizers.bin'));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  const take = (sizes: number[]) =>
    sizes.map((n) => {
      const part = all.slice(offset, offset + n);
      offset += n;
      return part;
    });
  const adam = (layout: { step: number; sizes: number[] }): AdamState => ({ step: layout.step, firstMoments: take(layout.sizes), secondMoments: take(layout.sizes) });
  const optimizers = { generator: adam(saved.optimizers.generator), discriminator: adam(saved.optimizers.discriminator) };
  if (offset !== all.length) throw new CheckpointError(`${dir}/optimizers.bin holds ${all.length} values, its layout ${offset}`);
  return { dir, gan, ...(ema === undefined ? {} : { ema }), optimizers, state: saved.state };
}

function concat(parts: readonly Float32Array[]): Uint8Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return new Uint8Array(out.buffer);
}

/** Copies the weights of `from` into `to` (same architecture). */
export function copyWeights(from: tfl.LayersModel, to: tfl.LayersModel): void {
  tf.tidy(() => to.setWeights(from.getWeights()));
}
