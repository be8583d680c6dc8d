import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { familyTraits, type Gan, type Vae } from '@dgm/models';
import { loadVae } from '@dgm/models/node';
import { ganCheckpointFormat, loadGanRun, vaeCheckpointFormat } from '@dgm/trainers';
import { fileSystemStore } from '@dgm/trainers/node';

/** A run's latest models, ready to sample: a GAN (with its EMA generator when kept) or a VAE. */
export type Trained =
  | { readonly kind: 'gan'; readonly gan: Gan; readonly ema: tfl.LayersModel | undefined; readonly step: number; readonly checkpoint: string }
  | { readonly kind: 'vae'; readonly vae: Vae; readonly step: number; readonly checkpoint: string };

/** Loads the latest checkpoint of a `dgm train` run folder (GAN or VAE, by the checkpoint's format). */
export async function loadTrained(runDir: string): Promise<Trained> {
  const dir = resolve(runDir);
  if (!existsSync(dir)) throw new CheckpointError(`--run ${dir} does not exist`);
  const store = fileSystemStore({ runDir: dir });
  const latest = await store.latest();
  if (latest === undefined) throw new CheckpointError(`--run ${dir} holds no checkpoint (a run folder of dgm train has checkpoints/latest.json)`);
  const { format, step } = latest.checkpoint;
  if (format === ganCheckpointFormat) {
    const run = await loadGanRun({ store });
    run.discriminatorEma?.dispose();
    return { kind: 'gan', gan: run.gan, ema: run.ema, step: run.step, checkpoint: run.checkpoint };
  }
  if (format === vaeCheckpointFormat) return { kind: 'vae', vae: await loadVae({ dir: latest.where }), step, checkpoint: latest.where };
  throw new CheckpointError(`--run ${dir}: its checkpoint is a ${JSON.stringify(format)} run, not a GAN or VAE`);
}

/** Frees a loaded run's models. */
export function disposeTrained(trained: Trained): void {
  const models = trained.kind === 'gan' ? [trained.gan.generator, trained.gan.discriminator, trained.ema] : [trained.vae.encoder, trained.vae.decoder];
  for (const model of models) model?.dispose();
}

/** A GAN run's generator to draw from: the EMA one when the run kept it, unless `ema` is false; `ema: true` without one is an error. */
export function chosenGenerator(trained: Extract<Trained, { kind: 'gan' }>, ema: boolean | undefined, caller: string): { model: tfl.LayersModel; name: 'ema' | 'generator' } {
  if (ema === true && trained.ema === undefined) throw new InvalidArgumentError(`${caller}: --ema: the run at ${trained.checkpoint} kept no EMA generator`);
  return ema === false || trained.ema === undefined ? { model: trained.gan.generator, name: 'generator' } : { model: trained.ema, name: 'ema' };
}

/** Whether a run's generator (or decoder) is asked for a class. */
export function takesClass(trained: Trained): boolean {
  return familyTraits[trained.kind === 'gan' ? trained.gan.spec.family : trained.vae.spec.family].generatorTakesLabels;
}
