import type { Gan } from '../spec.js';
import { loadGan as loadGanFromUrl } from '../load-from-url.js';
import { saveGan as saveGanToUrl } from '../save-to-url.js';
import { loadModels, saveModels } from './saved-folder.js';

/** Saves G to dir/generator, D to dir/discriminator and the spec to dir/gan.json (written last); or to a tf.io store (`{ url }`, see the main entry's `saveGan`). */
export async function saveGan(options: { dir: string; gan: Gan } | { url: string; gan: Gan }): Promise<void> {
  if (typeof options === 'object' && options !== null && 'url' in options) return saveGanToUrl(options);
  await saveModels('gan', options, 'saveGan');
}

/**
 * Loads what `saveGan` wrote, from its folder (`{ dir }`) or served at a URL (`{ url }`, see the
 * main entry's `loadGan`), checking both models against the spec. Every file is read through
 * `fileSystemHandler`'s containment (no path or symlink leaves the folder); on any error,
 * whatever was loaded is disposed. A saved VAE's folder is refused, saying so.
 */
export async function loadGan(options: { dir: string } | { url: string }): Promise<Gan> {
  if (typeof options === 'object' && options !== null && 'url' in options) return loadGanFromUrl(options);
  return loadModels('gan', options, 'loadGan');
}
