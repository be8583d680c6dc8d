import type { Gan } from './spec.js';
import { saveToTfioStore } from './tfio-stores.js';
import type { Vae } from './vae-spec.js';

/**
 * Saves G and D (and the spec) in a tf.io store: `indexeddb://name` or `localstorage://name` in a
 * browser, or a scheme the app registered with `tf.io.registerSaveRouter`. `loadGan({ url })`
 * loads it back. (The Node entry's `saveGan({ dir })` writes a folder.)
 */
export async function saveGan(options: { url: string; gan: Gan }): Promise<void> {
  await saveToTfioStore('gan', options, 'saveGan');
}

/** Saves a VAE's encoder and decoder (and the spec) in a tf.io store; see `saveGan`. */
export async function saveVae(options: { url: string; vae: Vae }): Promise<void> {
  await saveToTfioStore('vae', options, 'saveVae');
}
