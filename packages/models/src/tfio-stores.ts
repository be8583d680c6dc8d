import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { CheckpointError, InvalidArgumentError, parseOptions } from '@dgm/core';
import { layersModelType } from './options.js';
import { loadModelArtifacts } from './load-model.js';
import { loadPartAt, loadSaved } from './load-saved.js';
import { modelManifest, savedKinds, type SavedKind, type SavedModels } from './saved-models.js';

/** The key under a part's `userDefinedMetadata` that holds the manifest (gan.json, vae.json) in a tf.io store. */
const manifestKey = 'dgm';
const savers: Record<SavedKind, string> = { gan: 'saveGan', vae: 'saveVae' };

/** True for a URL of a tf.io store with its own scheme (indexeddb://, localstorage://, or one an app registered): not http(s). */
export function isTfioStoreUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^https?:\/\//i.test(url);
}

/** The one save (or load) handler tf.io's routers give for `url`, or a typed error naming the scheme. */
function handlerFor(url: string, direction: 'save' | 'load', caller: string): tf.io.IOHandler {
  const handlers = direction === 'save' ? tf.io.getSaveHandlers(url) : tf.io.getLoadHandlers(url);
  if (handlers.length !== 1) {
    const scheme = url.slice(0, url.indexOf('://') + 3);
    throw new InvalidArgumentError(`${caller}: no tf.io ${direction} handler for ${scheme} here (found ${handlers.length}): indexeddb:// and localstorage:// exist in browsers; elsewhere register one with tf.io.register${direction === 'save' ? 'Save' : 'Load'}Router`);
  }
  return handlers[0]!;
}

/**
 * Saves each part with tf.io's handler for `${url}/<part>` (IndexedDB, localStorage, …), the
 * manifest in the last part's metadata: written last, so a manifest read names complete models.
 */
export async function saveToTfioStore<K extends SavedKind>(kind: K, options: { url: string } & Record<K, SavedModels<K>>, caller: string): Promise<void> {
  const { parts } = savedKinds[kind];
  const models = z.looseObject({ ...Object.fromEntries(parts.map((part) => [part, layersModelType])), spec: z.looseObject({}) });
  const { url } = parseOptions(z.strictObject({ url: z.string().refine(isTfioStoreUrl, { error: 'expected a tf.io store URL such as indexeddb://name' }), [kind]: models }), options, caller) as { url: string };
  const base = url.replace(/\/+$/, '');
  const saved = (options as Record<K, SavedModels<K>>)[kind];
  const handlers = parts.map((part) => handlerFor(`${base}/${part}`, 'save', caller));
  const manifest = JSON.parse(modelManifest(kind, saved.spec)) as object;
  for (const [i, part] of parts.entries()) {
    const handler = handlers[i]!;
    const last = i === parts.length - 1;
    await (saved[part] as tfl.LayersModel).save(last ? { save: (artifacts) => handler.save!({ ...artifacts, userDefinedMetadata: { [manifestKey]: manifest } }) } : handler);
  }
}

/** Loads what `saveToTfioStore` wrote, checking the parts against the manifest's spec. */
export async function loadFromTfioStore<K extends SavedKind>(kind: K, base: string, caller: string): Promise<SavedModels<K>> {
  const { parts, manifest } = savedKinds[kind];
  const handlers = new Map<string, tf.io.IOHandler>(parts.map((part) => [part, handlerFor(`${base}/${part}`, 'load', caller)]));
  // The last part is read once, for its manifest and then as a model.
  const artifacts = new Map<string, Promise<tf.io.ModelArtifacts>>();
  const read = (part: string) => {
    if (!artifacts.has(part)) artifacts.set(part, handlers.get(part)!.load!());
    return artifacts.get(part)!;
  };
  return loadSaved(kind, {
    source: base,
    manifest: async () => {
      const last = parts.at(-1)!;
      let artifacts: tf.io.ModelArtifacts;
      try {
        artifacts = await read(last);
      } catch (error) {
        throw new CheckpointError(`${caller}: cannot load ${base}/${last}: ${(error as Error).message}`, { cause: error });
      }
      const saved = artifacts.userDefinedMetadata?.[manifestKey];
      if (saved === undefined) throw new CheckpointError(`${caller}: ${base} holds no ${manifest} (not written by ${savers[kind]}, or its save did not finish)`);
      return JSON.stringify(saved);
    },
    part: (part) => loadPartAt(`${base}/${part}`, async () => loadModelArtifacts(await read(part)), caller),
  }, caller);
}
