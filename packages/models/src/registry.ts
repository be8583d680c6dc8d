import { describeValue, InvalidArgumentError, isPlainObject } from '@dgm/core';
import { createAcgan, type AcganOptions } from './acgan.js';
import { createConditionalGan, type ConditionalGanOptions } from './conditional-gan.js';
import { createCvae } from './cvae.js';
import { createDcgan, type DcganOptions } from './dcgan.js';
import type { ModelFamily } from './family-traits.js';
import { createSemiSupervisedGan, type SemiSupervisedGanOptions } from './semi-supervised-gan.js';

import type { Gan } from './spec.js';
import { createVae } from './vae.js';
import type { CvaeOptions, VaeOptions } from './vae-options.js';
import type { Vae } from './vae-spec.js';
import { createWganGp, type WganGpOptions } from './wgan-gp.js';

/** The options of each registered GAN. */
export interface ModelOptions {
  dcgan: DcganOptions;
  cgan: Omit<ConditionalGanOptions, 'discriminatorConditioning'>;
  'cgan-projection': Omit<ConditionalGanOptions, 'discriminatorConditioning'>;
  acgan: AcganOptions;
  'wgan-gp': WganGpOptions;
  'ssgan-mlp': Omit<SemiSupervisedGanOptions, 'variant'>;
  'ssgan-conv': Omit<SemiSupervisedGanOptions, 'variant'>;
}
/** A registered GAN's name. */
export type ModelName = keyof ModelOptions;

/** The options of each registered VAE. */
export interface VaeModelOptions {
  vae: VaeOptions;
  cvae: CvaeOptions;
}
export type VaeModelName = keyof VaeModelOptions;

const builders: { readonly [K in ModelName]: (options: ModelOptions[K]) => Gan } = {
  dcgan: createDcgan,
  cgan: (o) => createConditionalGan({ ...o, discriminatorConditioning: 'concat' }),
  'cgan-projection': (o) => createConditionalGan({ ...o, discriminatorConditioning: 'projection' }),
  acgan: createAcgan,
  'wgan-gp': createWganGp,
  'ssgan-mlp': (o) => createSemiSupervisedGan({ ...o, variant: 'mlp' }),
  'ssgan-conv': (o) => createSemiSupervisedGan({ ...o, variant: 'conv' }),
};

const vaeBuilders: { readonly [K in VaeModelName]: (options: VaeModelOptions[K]) => Vae } = {
  vae: createVae,
  cvae: createCvae,
};

/** The family of each registered model, so that its traits (`familyTraits`) are known before it is built. */
export const modelFamilies: Readonly<Record<ModelName | VaeModelName, ModelFamily>> = {
  dcgan: 'dcgan',
  cgan: 'cgan',
  'cgan-projection': 'cgan',
  acgan: 'acgan',
  'wgan-gp': 'wgan-gp',
  'ssgan-mlp': 'ssgan',
  'ssgan-conv': 'ssgan',
  vae: 'vae',
  cvae: 'cvae',
};

/** Every GAN name `createModel` takes (each builds a `Gan`; `vaeModelNames` has the VAEs). */
export const modelNames = Object.keys(builders) as ModelName[];
/** Every VAE name `createModel` takes (each builds a `Vae`). */
export const vaeModelNames = Object.keys(vaeBuilders) as VaeModelName[];

/**
 * Builds a registered model by name: `createModel('wgan-gp', { imageShape: [28, 28, 1] })` a
 * `Gan`, `createModel('vae', { imageShape: [28, 28, 1] })` a `Vae`.
 */
export function createModel<K extends ModelName>(name: K, options: ModelOptions[K]): Gan;
export function createModel<K extends VaeModelName>(name: K, options: VaeModelOptions[K]): Vae;
export function createModel(name: ModelName | VaeModelName, options: unknown): Gan | Vae {
  const builder = (Object.hasOwn(builders, name) ? builders[name as ModelName] : Object.hasOwn(vaeBuilders, name) ? vaeBuilders[name as VaeModelName] : undefined) as
    | ((options: unknown) => Gan | Vae)
    | undefined;
  if (typeof builder !== 'function') {
    throw new InvalidArgumentError(`createModel: unknown model ${JSON.stringify(name)}; known: ${[...modelNames, ...vaeModelNames].join(', ')}`);
  }
  // Before a builder spreads them into its own object (where a Map or an array would vanish).
  if (!isPlainObject(options)) throw new InvalidArgumentError(`createModel: expected an options object, got ${describeValue(options)}`);
  return builder(options);
}
