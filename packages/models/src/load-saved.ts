import type * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError } from '@dgm/core';
import { registerCustomLayers } from './custom-layers.js';
import { checkModelsAgainstSpec, parseModelManifest, savedKinds, type SavedKind, type SavedModels } from './saved-models.js';

/** Where a saved kind is read from: its manifest's text and each part's model; `source` names it in errors. */
export interface SavedSource {
  readonly source: string;
  readonly manifest: () => Promise<string>;
  readonly part: (part: string) => Promise<tfl.LayersModel>;
}

/**
 * Loads a saved GAN or VAE (a folder, a URL), checking every model against the spec; on any
 * error, whatever was loaded is disposed.
 */
export async function loadSaved<K extends SavedKind>(kind: K, from: SavedSource, caller: string): Promise<SavedModels<K>> {
  const { parts, manifest } = savedKinds[kind];
  const spec = parseModelManifest(kind, await from.manifest(), `${caller}: ${from.source}/${manifest}`);
  registerCustomLayers();
  const settled = await Promise.allSettled(parts.map((part) => from.part(part)));
  const loaded = settled.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
  try {
    const failed = settled.find((p) => p.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    checkModelsAgainstSpec(kind, loaded, spec, from.source, caller);
    return { ...Object.fromEntries(parts.map((part, i) => [part, loaded[i]])), spec } as SavedModels<K>;
  } catch (error) {
    for (const model of loaded) model.dispose();
    throw error;
  }
}

/** A part's load as a CheckpointError naming `where` when it fails. */
export async function loadPartAt(where: string, load: () => Promise<tfl.LayersModel>, caller: string): Promise<tfl.LayersModel> {
  try {
    return await load();
  } catch (error) {
    if (CheckpointError.isInstance(error)) throw error;
    throw new CheckpointError(`${caller}: cannot load ${where}: ${(error as Error).message}`, { cause: error });
  }
}
