import type { Dataset } from '@dgm/data';
import { decodeBatch, vaeLatentDraws, type GenerateVaeOptions } from '@dgm/models';
import { samplerDataset, type LabeledSampler } from './sampler-dataset.js';

/** What to draw from a VAE: `generateVae`'s options of @dgm/models (vae, count, classes, seed, image: 'mean' or 'mode'). */
export type SampleVaeOptions = Omit<GenerateVaeOptions, 'batchSize'>;

/**
 * A sampler of a VAE's decoder mean images (in [−1, 1]: 2·sigmoid(logits) − 1 for a Bernoulli
 * decoder, the mean clipped to [−1, 1] for a Gaussian one, assumed trained on [−1, 1] images;
 * with image: 'mode', a Bernoulli decoder's black-or-white most probable images) for
 * `evaluateImages`, drawing standard normal latents from `seed` exactly as `ganSampler` does
 * (the same images however batched); a CVAE gets `classes` in turn (default every class).
 */
export function vaeSampler(options: SampleVaeOptions): LabeledSampler {
  return samplerOf(options, 'vaeSampler');
}

function samplerOf(options: SampleVaeOptions, caller: string): LabeledSampler {
  const draws = vaeLatentDraws(options, caller);
  const { vae, count, image = 'mean' } = options;
  return { count, sample: (n) => decodeBatch(vae, draws, n, image), labels: () => draws.labels() };
}

/** `count` images of a VAE as a Dataset (float32 in [0, 1]; labeled for a CVAE), e.g. for `computeCas` or `computeGanTest`. */
export async function sampleVae(options: SampleVaeOptions & { readonly batchSize?: number }): Promise<Dataset> {
  return samplerDataset(samplerOf(options, 'sampleVae'), options.vae.spec, options.batchSize ?? 250, 'sampleVae');
}
