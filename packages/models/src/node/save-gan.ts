import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';
import { registerCustomLayers } from '../custom-layers.js';
import { checkGanAgainstSpec, ganManifest, parseGanManifest } from '../saved-gan.js';
import type { Gan } from '../spec.js';
import { fileSystemHandler } from './file-system-handler.js';

/** Saves G to dir/generator, D to dir/discriminator and the spec to dir/gan.json (written last). */
export async function saveGan({ dir, gan }: { dir: string; gan: Gan }): Promise<void> {
  if (typeof dir !== 'string' || gan?.generator === undefined || gan.discriminator === undefined || gan.spec === undefined) {
    throw new InvalidArgumentError('saveGan: expected { dir, gan } with generator, discriminator and spec');
  }
  await gan.generator.save(fileSystemHandler({ dir: join(dir, 'generator') }));
  await gan.discriminator.save(fileSystemHandler({ dir: join(dir, 'discriminator') }));
  await writeAtomically(join(dir, 'gan.json'), ganManifest(gan.spec));
}

/** Loads what `saveGan` wrote, checking both models against the spec. */
export async function loadGan({ dir }: { dir: string }): Promise<Gan> {
  if (typeof dir !== 'string') throw new InvalidArgumentError(`loadGan: dir must be a folder path, got ${JSON.stringify(dir)}`);
  const spec = parseGanManifest(await readManifest(join(dir, 'gan.json')), join(dir, 'gan.json'));
  registerCustomLayers();
  const [generator, discriminator] = await Promise.all([loadPart(dir, 'generator'), loadPart(dir, 'discriminator')]);
  checkGanAgainstSpec(generator, discriminator, spec, dir);
  return { generator, discriminator, spec };
}

async function readManifest(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CheckpointError(`loadGan: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

async function loadPart(dir: string, part: 'generator' | 'discriminator'): Promise<tfl.LayersModel> {
  try {
    return await tfl.loadLayersModel(fileSystemHandler({ dir: join(dir, part) }));
  } catch (error) {
    if (CheckpointError.isInstance(error)) throw error;
    throw new CheckpointError(`loadGan: cannot load ${join(dir, part)}: ${(error as Error).message}`, { cause: error });
  }
}
