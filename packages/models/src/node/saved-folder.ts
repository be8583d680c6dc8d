import { lstat, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { CheckpointError, parseOptions } from '@dgm/core';
import { isPathBelow, writeAtomically } from '@dgm/core/node';
import { loadModelArtifacts } from '../load-model.js';
import { layersModelType } from '../options.js';
import { loadPartAt, loadSaved } from '../load-saved.js';
import { modelManifest, savedKinds, type SavedKind, type SavedModels } from '../saved-models.js';
import { fileSystemHandler } from './file-system-handler.js';

const dirType = z.string().min(1, { error: 'expected a folder path' });
/** The function that opens each kind's folder, for the error that says which one to use. */
const loaders: Record<SavedKind, string> = { gan: 'loadGan', vae: 'loadVae' };

/**
 * Saves each of a kind's models to dir/<part> with `fileSystemHandler`, then the manifest (the
 * spec) atomically and last: a manifest on disk always names complete models.
 */
export async function saveModels<K extends SavedKind>(kind: K, options: { dir: string } & Record<K, SavedModels<K>>, caller: string): Promise<void> {
  const { parts, manifest } = savedKinds[kind];
  const models = z.looseObject({ ...Object.fromEntries(parts.map((part) => [part, layersModelType])), spec: z.looseObject({}) });
  const { dir } = parseOptions(z.strictObject({ dir: dirType, [kind]: models }), options, caller) as { dir: string };
  const saved = (options as Record<K, SavedModels<K>>)[kind];
  for (const part of parts) await (saved[part] as tfl.LayersModel).save(fileSystemHandler({ dir: join(dir, part) }));
  await writeAtomically(join(dir, manifest), modelManifest(kind, saved.spec));
}

/**
 * Loads what `saveModels` wrote, checking every model against the spec. Every file is read
 * inside the folder (no path or symlink leaves it); on any error, whatever was loaded is disposed.
 */
export async function loadModels<K extends SavedKind>(kind: K, options: { dir: string }, caller: string): Promise<SavedModels<K>> {
  const { dir } = parseOptions(z.strictObject({ dir: dirType }), options, caller);
  return loadSaved(kind, {
    source: dir,
    manifest: () => readManifest(kind, dir, caller),
    part: (part) => loadPartAt(join(dir, part), async () => loadModelArtifacts(await fileSystemHandler({ dir: join(dir, part) }).load!()), caller),
  }, caller);
}

/** The manifest's text, read from its real path inside the folder. */
async function readManifest(kind: SavedKind, dir: string, caller: string): Promise<string> {
  const path = join(dir, savedKinds[kind].manifest);
  let root: string;
  let real: string;
  try {
    [root, real] = [await realpath(dir), await realpath(path)];
  } catch (error) {
    await refuseOtherKind(kind, dir, caller);
    throw new CheckpointError(`${caller}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!isPathBelow(root, real)) {
    throw new CheckpointError(`${caller}: ${path} resolves to ${real}, outside the folder ${root}; refusing to read it`);
  }
  try {
    return await readFile(real, 'utf8');
  } catch (error) {
    throw new CheckpointError(`${caller}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** A folder without this kind's manifest but with another's is named for what it holds (nothing of it is read). */
async function refuseOtherKind(kind: SavedKind, dir: string, caller: string): Promise<void> {
  for (const other of Object.keys(savedKinds) as SavedKind[]) {
    const { label, manifest } = savedKinds[other];
    const present = await lstat(join(dir, manifest)).then(() => true, () => false);
    if (other !== kind && present) {
      throw new CheckpointError(`${caller}: ${dir} holds a saved ${label} (${manifest}), not a saved ${savedKinds[kind].label}; open it with ${loaders[other]}`);
    }
  }
}
