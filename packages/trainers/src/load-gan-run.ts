import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { CheckpointError, parseOptions } from '@dgm/core';
import { checkGanAgainstSpec, loadModelArtifacts, parseGanManifest, registerCustomLayers, type Gan, type GanSpec } from '@dgm/models';
import type { Checkpoint, CheckpointStore } from './checkpoint-store.js';
import { checkpointStore } from './option-schemas.js';
import type { GanRecipe } from './recipe.js';
import { ganCheckpointFormat } from './train-gan.js';

/** A trained GAN run, loaded for inference (or to resume: pass `gan` back to trainGan with the same store). */
export interface GanRun {
  /** G and D, with the spec (which names the training data's classes, when it had labels). */
  readonly gan: Gan;
  /** The EMA generator, when the run kept one: usually the better one to sample from. */
  readonly ema: tfl.LayersModel | undefined;
  /** The averaged D, when the run kept one (trainGan's `discriminatorEma`). */
  readonly discriminatorEma: tfl.LayersModel | undefined;
  readonly spec: GanSpec;
  /** The step the checkpoint was written at. */
  readonly step: number;
  /** The recipe it was trained with. */
  readonly recipe: GanRecipe;
  /** Where the checkpoint lies. */
  readonly checkpoint: string;
}

/** Loads the newest checkpoint of a `trainGan` run from a store (`memoryStore`, or `fileSystemStore`; in Node `loadRun({ dir })` of the /node entry). */
export async function loadGanRun(options: { store: CheckpointStore }): Promise<GanRun> {
  parseOptions(z.strictObject({ store: checkpointStore }), options, 'loadGanRun');
  const { store } = options;
  const latest = await store.latest();
  if (latest === undefined) throw new CheckpointError(`loadGanRun: no checkpoint in ${store.location ?? 'the store'}`);
  return ganRunOf(latest.checkpoint, latest.where, 'loadGanRun');
}

/** The models, spec, step and recipe of one checkpoint of a GAN run, checked against each other. */
export async function ganRunOf(checkpoint: Checkpoint, where: string, caller: string): Promise<GanRun> {
  if (checkpoint.format !== ganCheckpointFormat) throw new CheckpointError(`${caller}: ${where} is a ${JSON.stringify(checkpoint.format)} checkpoint, not a GAN run (${ganCheckpointFormat})`);
  const manifest = checkpoint.documents?.['gan.json'];
  if (manifest === undefined) throw new CheckpointError(`${caller}: ${where} holds no gan.json`);
  const spec = parseGanManifest(manifest, `${where}/gan.json`);
  const recipe = (checkpoint.state as { step?: { recipe?: GanRecipe } } | undefined)?.step?.recipe;
  if (recipe === undefined) throw new CheckpointError(`${caller}: ${where} holds no recipe in its state`);
  registerCustomLayers();
  const built: tfl.LayersModel[] = [];
  try {
    const load = async (name: string) => {
      const artifacts = checkpoint.models[name];
      if (artifacts === undefined) return undefined;
      const model = await loadModel(artifacts, `${where}/${name}`, caller);
      built.push(model);
      return model;
    };
    const [generator, discriminator, ema, discriminatorEma] = [await load('generator'), await load('discriminator'), await load('generator-ema'), await load('discriminator-ema')];
    if (generator === undefined || discriminator === undefined) throw new CheckpointError(`${caller}: ${where} lacks the generator or the discriminator`);
    checkGanAgainstSpec(generator, discriminator, spec, where, caller);
    if (ema !== undefined) checkGanAgainstSpec(ema, discriminator, spec, `${where} (EMA generator)`, caller);
    if (discriminatorEma !== undefined) checkGanAgainstSpec(generator, discriminatorEma, spec, `${where} (averaged discriminator)`, caller);
    return { gan: { generator, discriminator, spec }, ema, discriminatorEma, spec, step: checkpoint.step, recipe, checkpoint: where };
  } catch (error) {
    for (const model of built) model.dispose();
    throw error;
  }
}

async function loadModel(artifacts: tf.io.ModelArtifacts, source: string, caller: string): Promise<tfl.LayersModel> {
  try {
    return await loadModelArtifacts(artifacts);
  } catch (error) {
    throw new CheckpointError(`${caller}: cannot load ${source}: ${(error as Error).message}`, { cause: error });
  }
}
