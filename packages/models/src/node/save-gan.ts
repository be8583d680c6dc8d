import type { Gan } from '../spec.js';
import { loadModels, saveModels } from './saved-folder.js';

/** Saves G to dir/generator, D to dir/discriminator and the spec to dir/gan.json (written last). */
export async function saveGan(options: { dir: string; gan: Gan }): Promise<void> {
  await saveModels('gan', options, 'saveGan');
}

/**
 * Loads what `saveGan` wrote, checking both models against the spec. Every file is read through
 * `fileSystemHandler`'s containment (no path or symlink leaves the folder); on any error,
 * whatever was loaded is disposed. A saved VAE's folder is refused, saying so.
 */
export async function loadGan(options: { dir: string }): Promise<Gan> {
  return loadModels('gan', options, 'loadGan');
}
