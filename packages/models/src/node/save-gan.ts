import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { CheckpointError, parseOptions } from '@dgm/core';
import { isPathBelow, writeAtomically } from '@dgm/core/node';
import { registerCustomLayers } from '../custom-layers.js';
import { loadModelArtifacts } from '../load-model.js';
import { layersModelType } from '../options.js';
import { checkGanAgainstSpec, ganManifest, parseGanManifest } from '../saved-gan.js';
import type { Gan } from '../spec.js';
import { fileSystemHandler } from './file-system-handler.js';

const saveSchema = z.strictObject({
  dir: z.string().min(1, { error: 'expected a folder path' }),
  gan: z.looseObject({ generator: layersModelType, discriminator: layersModelType, spec: z.looseObject({}) }),
});

/** Saves G to dir/generator, D to dir/discriminator and the spec to dir/gan.json (written last). */
export async function saveGan(options: { dir: string; gan: Gan }): Promise<void> {
  const { dir } = parseOptions(saveSchema, options, 'saveGan');
  const { gan } = options;
  await gan.generator.save(fileSystemHandler({ dir: join(dir, 'generator') }));
  await gan.discriminator.save(fileSystemHandler({ dir: join(dir, 'discriminator') }));
  await writeAtomically(join(dir, 'gan.json'), ganManifest(gan.spec));
}

/**
 * Loads what `saveGan` wrote, checking both models against the spec. Every file is read through
 * `fileSystemHandler`'s containment (no path or symlink leaves the folder); on any error,
 * whatever was loaded is disposed.
 */
export async function loadGan(options: { dir: string }): Promise<Gan> {
  const { dir } = parseOptions(z.strictObject({ dir: z.string().min(1, { error: 'expected a folder path' }) }), options, 'loadGan');
  const spec = parseGanManifest(await readManifest(dir), join(dir, 'gan.json'));
  registerCustomLayers();
  const parts = await Promise.allSettled([loadPart(dir, 'generator'), loadPart(dir, 'discriminator')]);
  const loaded = parts.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
  try {
    const failed = parts.find((p) => p.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const [generator, discriminator] = loaded as [tfl.LayersModel, tfl.LayersModel];
    checkGanAgainstSpec(generator, discriminator, spec, dir);
    return { generator, discriminator, spec };
  } catch (error) {
    for (const model of loaded) model.dispose();
    throw error;
  }
}

/** gan.json's text, read from its real path inside the folder. */
async function readManifest(dir: string): Promise<string> {
  const path = join(dir, 'gan.json');
  let root: string;
  let real: string;
  try {
    [root, real] = [await realpath(dir), await realpath(path)];
  } catch (error) {
    throw new CheckpointError(`loadGan: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!isPathBelow(root, real)) {
    throw new CheckpointError(`loadGan: ${path} resolves to ${real}, outside the folder ${root}; refusing to read it`);
  }
  try {
    return await readFile(real, 'utf8');
  } catch (error) {
    throw new CheckpointError(`loadGan: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

async function loadPart(dir: string, part: 'generator' | 'discriminator'): Promise<tfl.LayersModel> {
  try {
    return await loadModelArtifacts(await fileSystemHandler({ dir: join(dir, part) }).load!());
  } catch (error) {
    if (CheckpointError.isInstance(error)) throw error;
    throw new CheckpointError(`loadGan: cannot load ${join(dir, part)}: ${(error as Error).message}`, { cause: error });
  }
}
