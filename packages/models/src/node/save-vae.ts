import type { Vae } from '../vae-spec.js';
import { loadModels, saveModels } from './saved-folder.js';

/** Saves the encoder to dir/encoder, the decoder to dir/decoder and the spec to dir/vae.json (written last). */
export async function saveVae(options: { dir: string; vae: Vae }): Promise<void> {
  await saveModels('vae', options, 'saveVae');
}

/**
 * Loads what `saveVae` wrote, checking both models against the spec, with `loadGan`'s
 * containment and cleanup. A saved GAN's folder is refused, saying so.
 */
export async function loadVae(options: { dir: string }): Promise<Vae> {
  return loadModels('vae', options, 'loadVae');
}
