import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import { dcganDefaults, dcganModels, type DcganOptions } from './dcgan.js';

import type { Gan } from './spec.js';

export interface WganGpOptions extends Omit<DcganOptions, 'discriminatorNormalization'> {
  /** The critic's normalization: layer norm (default) or none; never batch norm, which breaks the per-sample gradient penalty. */
  readonly criticNormalization?: 'layer' | 'none';
}

/**
 * WGAN-GP (Gulrajani et al. 2017): the DCGAN generator and a critic with a linear output
 * and no batch normalization, to train with the Wasserstein loss and the gradient penalty.
 */
export function createWganGp(options: WganGpOptions): Gan {
  const { criticNormalization = 'layer', ...rest } = parseOptions(z.looseObject({ criticNormalization: z.unknown().optional() }), options, 'createWganGp') as unknown as WganGpOptions;
  if (criticNormalization !== 'layer' && criticNormalization !== 'none') {
    throw new InvalidArgumentError(`createWganGp: criticNormalization must be 'layer' or 'none', got ${JSON.stringify(criticNormalization)}`);
  }
  const gan = dcganModels(dcganDefaults({ ...rest, discriminatorNormalization: criticNormalization }, 'createWganGp'), true, 'createWganGp');
  const { discriminatorNormalization: _unused, ...options_ } = gan.spec.options;
  return { ...gan, spec: { ...gan.spec, family: 'wgan-gp', name: 'wgan-gp', options: { ...options_, criticNormalization } } };
}
