import type { Vae } from '../vae-spec.js';
import { loadVae as loadVaeFromUrl } from '../load-from-url.js';
import { saveVae as saveVaeToUrl } from '../save-to-url.js';
import { loadModels, saveModels } from './saved-folder.js';

/** Saves the encoder to dir/encoder, the decoder to dir/decoder and the spec to dir/vae.json (written last); or to a tf.io store (`{ url }`, see `saveGan`). */
export async function saveVae(options: { dir: string; vae: Vae } | { url: string; vae: Vae }): Promise<void> {
  if (typeof options === 'object' && options !== null && 'url' in options) return saveVaeToUrl(options);
  await saveModels('vae', options, 'saveVae');
}

/**
 * Loads what `saveVae` wrote, from its folder or at a URL (as `loadGan`), checking both models
 * against the spec, with `loadGan`'s containment and cleanup. A saved GAN's folder is refused,
 * saying so.
 */
export async function loadVae(options: { dir: string } | { url: string }): Promise<Vae> {
  if (typeof options === 'object' && options !== null && 'url' in options) return loadVaeFromUrl(options);
  return loadModels('vae', options, 'loadVae');
}
