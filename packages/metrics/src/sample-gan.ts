import * as tf from '@tensorflow/tfjs-core';
import { describeValue, InvalidArgumentError } from '@dgm/core';
import { fromArrays, type Dataset } from '@dgm/data';
import { generateBatch, latentDraws, type GenerateOptions } from '@dgm/models';
import type { ImageSampler } from './image-source.js';

/** What to draw from a GAN: `generate`'s options of @dgm/models (gan, generator, count, classes, seed). */
export type SampleGanOptions = Omit<GenerateOptions, 'batchSize'>;

/**
 * A sampler of a GAN's images (in [−1, 1]) for `evaluateImages`, drawing standard normal
 * latents from `seed` (the same images however they are batched); conditional generators get
 * `classes` in turn (default every class: 0, 1, …, 0, 1, …), so that each is equally represented.
 */
export function ganSampler(options: SampleGanOptions): ImageSampler & { readonly labels: () => Int32Array } {
  return samplerOf(options, 'ganSampler');
}

function samplerOf(options: SampleGanOptions, caller: string): ImageSampler & { readonly labels: () => Int32Array } {
  const draws = latentDraws(options, caller);
  const { gan, count, generator = gan.generator } = options;
  return { count, sample: (n) => generateBatch(gan, generator, draws, n), labels: () => draws.labels() };
}

/** `count` images of a GAN as a Dataset (float32 in [0, 1]; labeled when conditional), e.g. for `computeCas` or augmentation. */
export async function sampleGan(options: SampleGanOptions & { readonly batchSize?: number }): Promise<Dataset> {
  const sampler = samplerOf(options, 'sampleGan');
  const { batchSize = 250 } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`sampleGan: batchSize must be a positive integer, got ${describeValue(batchSize)}`);
  const { spec } = options.gan;
  const size = spec.imageShape.reduce((a, b) => a * b, 1);
  const images = new Float32Array(options.count * size);
  for (let done = 0; done < options.count; ) {
    const n = Math.min(batchSize, options.count - done);
    const batch = sampler.sample(n);
    try {
      const pixels = tf.tidy(() => tf.clipByValue(tf.div(tf.add(batch, 1), 2), 0, 1));
      try {
        images.set(await pixels.data(), done * size);
      } finally {
        pixels.dispose();
      }
    } finally {
      batch.dispose();
    }
    done += n;
  }
  const labels = sampler.labels();
  const classNames = spec.classNames ?? Array.from({ length: spec.numClasses ?? 0 }, (_, i) => String(i));
  return fromArrays({ images, shape: spec.imageShape, name: spec.name, split: 'generated', ...(labels.length > 0 ? { labels, classNames } : {}) });
}
