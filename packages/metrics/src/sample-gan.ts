import type { Dataset } from '@dgm/data';
import { generateBatch, latentDraws, type GenerateOptions } from '@dgm/models';
import { samplerDataset, type LabeledSampler } from './sampler-dataset.js';

/** What to draw from a GAN: `generate`'s options of @dgm/models (gan, generator, count, classes, seed). */
export type SampleGanOptions = Omit<GenerateOptions, 'batchSize'>;

/**
 * A sampler of a GAN's images (in [−1, 1]) for `evaluateImages`, drawing standard normal
 * latents from `seed` (the same images however they are batched); conditional generators get
 * `classes` in turn (default every class: 0, 1, …, 0, 1, …), so that each is equally represented.
 */
export function ganSampler(options: SampleGanOptions): LabeledSampler {
  return samplerOf(options, 'ganSampler');
}

function samplerOf(options: SampleGanOptions, caller: string): LabeledSampler {
  const draws = latentDraws(options, caller);
  const { gan, count, generator = gan.generator } = options;
  return { count, sample: (n) => generateBatch(gan, generator, draws, n), labels: () => draws.labels() };
}

/** `count` images of a GAN as a Dataset (float32 in [0, 1]; labeled when conditional), e.g. for `computeCas` or augmentation. */
export async function sampleGan(options: SampleGanOptions & { readonly batchSize?: number }): Promise<Dataset> {
  const sampler = samplerOf(options, 'sampleGan');
  return samplerDataset(sampler, options.gan.spec, options.batchSize ?? 250, 'sampleGan');
}
