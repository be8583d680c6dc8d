import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { CheckpointError, parseOptions } from '@dgm/core';
import { loadModelArtifacts } from './load-model.js';
import { loadPartAt, loadSaved } from './load-saved.js';
import { isTfioStoreUrl, loadFromTfioStore } from './tfio-stores.js';
import { savedKinds, type SavedKind, type SavedModels } from './saved-models.js';
import type { Gan } from './spec.js';
import type { Vae } from './vae-spec.js';

const schema = z.strictObject({ url: z.string().min(1, { error: 'expected the URL of a saved folder' }) });

/**
 * A GAN saved by `saveGan`: served over HTTP from a folder the Node entry's `saveGan` wrote (a
 * page's static files, e.g. `loadGan({ url: 'models/mnist-cgan' })` in a browser:
 * `<url>/gan.json`, and `<url>/generator/model.json` and `<url>/discriminator/model.json` with
 * their weights), or from a tf.io store the main entry's `saveGan` wrote (`indexeddb://name`,
 * `localstorage://name`); checked against the spec as the folder loader checks them. The Node
 * entry's `loadGan` takes `{ url }` too.
 */
export async function loadGan(options: { url: string }): Promise<Gan> {
  return loadFromUrl('gan', options, 'loadGan');
}

/** A VAE saved by `saveVae` and served over HTTP (see `loadGan`). */
export async function loadVae(options: { url: string }): Promise<Vae> {
  return loadFromUrl('vae', options, 'loadVae');
}

async function loadFromUrl<K extends SavedKind>(kind: K, options: { url: string }, caller: string): Promise<SavedModels<K>> {
  const base = parseOptions(schema, options, caller).url.replace(/\/+$/, '');
  if (isTfioStoreUrl(base)) return loadFromTfioStore(kind, base, caller);
  return loadSaved(kind, {
    source: base,
    manifest: () => fetchText(`${base}/${savedKinds[kind].manifest}`, caller),
    part: (part) => loadPartAt(`${base}/${part}`, async () => loadModelArtifacts(await tf.io.http(`${base}/${part}/model.json`).load!()), caller),
  }, caller);
}

async function fetchText(url: string, caller: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new CheckpointError(`${caller}: cannot fetch ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) throw new CheckpointError(`${caller}: cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`);
  return response.text();
}
