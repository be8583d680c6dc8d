import { describeValue, InvalidArgumentError, isPlainObject } from '@dgm/core';
import { createAcgan, type AcganOptions } from './acgan.js';
import { createConditionalGan, type ConditionalGanOptions } from './conditional-gan.js';
import { createDcgan, type DcganOptions } from './dcgan.js';
import { createSemiSupervisedGan, type SemiSupervisedGanOptions } from './semi-supervised-gan.js';

import type { Gan } from './spec.js';
import { createWganGp, type WganGpOptions } from './wgan-gp.js';

/** The options of each registered model. */
export interface ModelOptions {
  dcgan: DcganOptions;
  cgan: Omit<ConditionalGanOptions, 'discriminatorConditioning'>;
  'cgan-projection': Omit<ConditionalGanOptions, 'discriminatorConditioning'>;
  acgan: AcganOptions;
  'wgan-gp': WganGpOptions;
  'ssgan-mlp': Omit<SemiSupervisedGanOptions, 'variant'>;
  'ssgan-conv': Omit<SemiSupervisedGanOptions, 'variant'>;
}
export type ModelName = keyof ModelOptions;

const builders: { readonly [K in ModelName]: (options: ModelOptions[K]) => Gan } = {
  dcgan: createDcgan,
  cgan: (o) => createConditionalGan({ ...o, discriminatorConditioning: 'concat' }),
  'cgan-projection': (o) => createConditionalGan({ ...o, discriminatorConditioning: 'projection' }),
  acgan: createAcgan,
  'wgan-gp': createWganGp,
  'ssgan-mlp': (o) => createSemiSupervisedGan({ ...o, variant: 'mlp' }),
  'ssgan-conv': (o) => createSemiSupervisedGan({ ...o, variant: 'conv' }),
};

/** Every name `createModel` takes. */
export const modelNames = Object.keys(builders) as ModelName[];

/** Builds a registered model by name: `createModel('wgan-gp', { imageShape: [28, 28, 1] })`. */
export function createModel<K extends ModelName>(name: K, options: ModelOptions[K]): Gan {
  const builder = builders[name] as ((options: ModelOptions[K]) => Gan) | undefined;
  if (typeof builder !== 'function' || !Object.hasOwn(builders, name)) {
    throw new InvalidArgumentError(`createModel: unknown model ${JSON.stringify(name)}; known: ${modelNames.join(', ')}`);
  }
  // Before a builder spreads them into its own object (where a Map or an array would vanish).
  if (!isPlainObject(options)) throw new InvalidArgumentError(`createModel: expected an options object, got ${describeValue(options)}`);
  return builder(options);
}
