import * as z from 'zod';
import { InvalidArgumentError, parseOptions, type ImageShape } from '@dgm/core';
import { checkImageShape, checkPositiveInteger, checkSeed } from './architecture.js';
import type { Normalization } from './blocks.js';
import { finite, imageShapeType } from './options.js';
import type { VaeDecoder } from './vae-spec.js';

export interface VaeOptions {
  /** [28, 28, 1], [32, 32, 3] or [64, 64, 3]. */
  readonly imageShape: ImageShape;
  /** Size of z. Default 32. */
  readonly latentDim?: number;
  /** Channels of the encoder's first convolution (doubling after). Default 64. */
  readonly encoderFilters?: number;
  /** Channels of the decoder's last hidden stage (doubling toward its input). Default 64. */
  readonly decoderFilters?: number;
  /** Normalization in the encoder after its first convolution. Default 'batch' (as D's). */
  readonly encoderNormalization?: Normalization;
  /** p(x|z): 'bernoulli' (logits; images in [0, 1]) or 'gaussian' (the mean). Default 'bernoulli'. */
  readonly decoder?: VaeDecoder;
  /** The Gaussian decoder's fixed log σ², for every pixel (not learned). Default 0 (σ = 1); only with decoder 'gaussian'. */
  readonly gaussianLogVariance?: number;
  /** Seed of the initial weights. Default 0. */
  readonly seed?: number;
}

export interface CvaeOptions extends VaeOptions {
  readonly numClasses: number;
}

/** The options with their defaults, checked; `numClasses` set for the CVAE only. */
export type VaeDefaults = Required<Omit<VaeOptions, 'gaussianLogVariance'>> & {
  readonly gaussianLogVariance?: number;
  readonly numClasses?: number;
};

/** The types of the VAE's options (ranges are checked after, with their own messages). Strict: a GAN's option is a mistake here. */
const vaeSchema = z.strictObject({
  imageShape: imageShapeType,
  latentDim: finite.default(32),
  encoderFilters: finite.default(64),
  decoderFilters: finite.default(64),
  encoderNormalization: z.enum(['batch', 'layer', 'none']).default('batch'),
  decoder: z.enum(['bernoulli', 'gaussian']).default('bernoulli'),
  gaussianLogVariance: finite.optional(),
  seed: finite.default(0),
});
const cvaeSchema = vaeSchema.extend({ numClasses: finite.optional() });

/** Checks a VAE's (`conditional`: a CVAE's) options and fills in the defaults; builds nothing. */
export function vaeDefaults(options: VaeOptions | CvaeOptions, conditional: boolean, caller: string): VaeDefaults {
  const { gaussianLogVariance, numClasses, ...o } = parseOptions(conditional ? cvaeSchema : vaeSchema, options, caller) as z.output<typeof cvaeSchema>;
  checkImageShape(o.imageShape, caller);
  checkPositiveInteger(o.latentDim, 'latentDim', caller);
  checkPositiveInteger(o.encoderFilters, 'encoderFilters', caller);
  checkPositiveInteger(o.decoderFilters, 'decoderFilters', caller);
  checkSeed(o.seed, caller);
  if (conditional) checkPositiveInteger(numClasses, 'numClasses', caller);
  if (o.decoder !== 'gaussian' && gaussianLogVariance !== undefined) {
    throw new InvalidArgumentError(`${caller}: gaussianLogVariance is for decoder 'gaussian', got decoder '${o.decoder}'`);
  }
  return {
    ...o,
    imageShape: [...o.imageShape] as unknown as ImageShape,
    ...(o.decoder === 'gaussian' ? { gaussianLogVariance: gaussianLogVariance ?? 0 } : {}),
    ...(conditional ? { numClasses: numClasses! } : {}),
  };
}
