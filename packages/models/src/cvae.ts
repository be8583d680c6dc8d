import { registerCustomLayers } from './custom-layers.js';
import { vaeModels } from './vae.js';
import { vaeDefaults, type CvaeOptions } from './vae-options.js';
import type { Vae } from './vae-spec.js';

/**
 * Conditional VAE (Sohn et al. 2015): q(z|x, y) and p(x|z, y). The one-hot label is
 * concatenated to the input of every layer of both, as the conditional GANs read it
 * (`ClassBias`, the same weights as K more input channels): the encoder's to x's channels
 * and to every convolution and head after, the decoder's to z and to every hidden stage.
 */
export function createCvae(options: CvaeOptions): Vae {
  const o = vaeDefaults(options, true, 'createCvae');
  registerCustomLayers();
  return vaeModels(o, 'createCvae');
}
