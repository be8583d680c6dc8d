import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError, type RandomState } from '@dgm/core';
import type { BatchStreamState } from '@dgm/data';
import type { Gan } from '@dgm/models';
import { fileSystemHandler, loadGan, saveGan } from '@dgm/models/node';
import type { AdamState } from './adam.js';
import { latestCheckpointFolder, readOptimizerStates, writeCheckpointFolder, writeOptimizerStates, type OptimizerLayout } from './checkpoint-folder.js';
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
 * Writes a GAN checkpoint under runDir/checkpoints/step-NNNNNNN (see `writeCheckpointFolder`):
 * the GAN as `saveGan` writes it, the EMA generator, the optimizers and the state.
 */
export async function writeCheckpoint(runDir: string, checkpoint: Checkpoint, keep = 2): Promise<string> {
  return writeCheckpointFolder(
    runDir,
    checkpoint.state.step,
    async (dir) => {
      await saveGan({ dir, gan: checkpoint.gan });
      if (checkpoint.ema !== undefined) await checkpoint.ema.save(fileSystemHandler({ dir: join(dir, 'generator-ema') }));
      const optimizers = await writeOptimizerStates(dir, checkpoint.optimizers);
      await writeFile(join(dir, 'state.json'), JSON.stringify({ format: FORMAT, state: checkpoint.state, optimizers }, null, 2));
    },
    keep,
  );
}

/** Reads the checkpoint `latest.json` of runDir points to. */
export async function readCheckpoint(runDir: string): Promise<Checkpoint & { dir: string }> {
  const dir = await latestCheckpointFolder(runDir);
  const saved = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { format: string; state: TrainingState; optimizers: OptimizerLayout };
  if (saved.format !== FORMAT) throw new CheckpointError(`${dir}: format ${JSON.stringify(saved.format)}, expected ${FORMAT}`);
  const gan = await loadGan({ dir });
  const emaDir = join(dir, 'generator-ema');
  const ema = saved.state.emaDecay === undefined ? undefined : await tfl.loadLayersModel(fileSystemHandler({ dir: emaDir }));
  const { generator, discriminator } = await readOptimizerStates(dir, saved.optimizers);
  return { dir, gan, ...(ema === undefined ? {} : { ema }), optimizers: { generator: generator!, discriminator: discriminator! }, state: saved.state };
}

/** Copies the weights of `from` into `to` (same architecture). */
export function copyWeights(from: tfl.LayersModel, to: tfl.LayersModel): void {
  tf.tidy(() => to.setWeights(from.getWeights()));
}
