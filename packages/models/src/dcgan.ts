import * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { type ImageShape, parseOptions } from '@dgm/core';
import { checkPositiveInteger, checkSeed, stagesFor } from './architecture.js';
import { discriminatorBody, generatorBody, logits, Seeds, type Normalization } from './blocks.js';
import { registerCustomLayers } from './custom-layers.js';
import { finite, imageShapeType } from './options.js';
import type { Gan } from './spec.js';

export interface DcganOptions {
  /** [28, 28, 1], [32, 32, 3] or [64, 64, 3]. */
  readonly imageShape: ImageShape;
  /** Default 100. */
  readonly latentDim?: number;
  /** Channels of G's last hidden stage (doubling toward its input). Default 64. */
  readonly generatorFilters?: number;
  /** Channels of D's first convolution (doubling after). Default 64. */
  readonly discriminatorFilters?: number;
  /** Normalization in D after its first layer. Default 'batch' (as in the DCGAN paper). */
  readonly discriminatorNormalization?: Normalization;
  /** Spectral normalization (Miyato et al. 2018) of every layer of D. Default false. */
  readonly spectralNormalization?: boolean;
  /** Seed of the initial weights. Default 0. */
  readonly seed?: number;
}

/** DCGAN (Radford et al. 2016): D outputs one logit per image. */
export function createDcgan(options: DcganOptions): Gan {
  return dcganModels(dcganDefaults(options, 'createDcgan'), false, 'createDcgan');
}

/**
 * G and D of DCGAN; with `critic`, D's output has no bias: under the Wasserstein loss and the
 * gradient penalty it has no gradient, so a critic (WGAN-GP) omits it.
 */
export function dcganModels(o: DcganDefaults, critic: boolean, caller: string): Gan {
  const stages = stagesFor(o.imageShape, o.generatorFilters, o.discriminatorFilters, caller);
  const seeds = new Seeds(o.seed);
  const z = tfl.input({ shape: [o.latentDim], name: 'z' });
  const generator = tfl.model({ inputs: z, outputs: generatorBody(z, stages, o.imageShape, seeds), name: 'generator' });
  const image = tfl.input({ shape: [...o.imageShape], name: 'image' });
  const features = discriminatorBody(image, stages, o.discriminatorNormalization, seeds, o.spectralNormalization);
  const logit = logits(features, 1, seeds, 'logit', !critic, o.spectralNormalization);
  const discriminator = tfl.model({ inputs: image, outputs: logit, name: 'discriminator' });
  return {
    generator,
    discriminator,
    spec: { family: 'dcgan', name: 'dcgan', imageShape: o.imageShape, latentDim: o.latentDim, conditioning: 'none', discriminatorOutputs: ['logit'], options: o },
  };
}

export type DcganDefaults = Required<DcganOptions>;

/**
 * The types of DCGAN's options, with their defaults (ranges are checked after, with their own
 * messages). Loose: the families built on it add their own options.
 */
export const dcganSchema = z.looseObject({
  imageShape: imageShapeType,
  latentDim: finite.default(100),
  generatorFilters: finite.default(64),
  discriminatorFilters: finite.default(64),
  discriminatorNormalization: z.enum(['batch', 'layer', 'none']).default('batch'),
  spectralNormalization: z.boolean().default(false),
  seed: finite.default(0),
});

/** The options with their defaults, checked; shared by the families built on DCGAN. */
export function dcganDefaults(options: DcganOptions, caller: string): DcganDefaults {
  const o = parseOptions(dcganSchema, options, caller) as unknown as DcganDefaults;
  if (o.spectralNormalization) registerCustomLayers();
  checkPositiveInteger(o.latentDim, 'latentDim', caller);
  checkSeed(o.seed, caller);
  return { ...o, imageShape: [...o.imageShape] as unknown as ImageShape };
}
