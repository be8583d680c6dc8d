import * as z from 'zod';
import { familiesOf } from './family-traits.js';
import type { GanFamily } from './spec.js';
import type { VaeFamily } from './vae-spec.js';

const positiveInteger = z.int().min(1);

/** The fields every saved spec holds, GAN's or VAE's, in the order their errors are reported. */
const common = {
  name: z.string(),
  imageShape: z.array(positiveInteger).length(3),
  latentDim: positiveInteger,
  numClasses: positiveInteger.optional(),
  classNames: z.array(z.string()).optional(),
};
const options = z.record(z.string(), z.unknown());

/** What a saved GAN's spec must hold before its models are rebuilt or checked against it. */
export const ganSpecSchema = z.looseObject({
  // A VAE's spec is not a GAN's: its models are an encoder and a decoder.
  family: z.enum(familiesOf('gan') as [GanFamily, ...GanFamily[]]),
  ...common,
  conditioning: z.enum(['none', 'concat', 'projection']),
  discriminatorOutputs: z.array(z.enum(['logit', 'classes', 'features'])).min(1),
  options,
});

/** What a saved VAE's spec must hold before its models are rebuilt or checked against it. */
export const vaeSpecSchema = z.looseObject({
  family: z.enum(familiesOf('vae') as [VaeFamily, ...VaeFamily[]]),
  ...common,
  conditioning: z.enum(['none', 'concat']),
  decoder: z.enum(['bernoulli', 'gaussian']),
  gaussianLogVariance: z.number().optional(),
  options,
});
