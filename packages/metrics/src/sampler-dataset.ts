import * as tf from '@tensorflow/tfjs-core';
import { describeValue, InvalidArgumentError, type ImageShape } from '@dgm/core';
import { fromArrays, type Dataset } from '@dgm/data';
import type { ImageSampler } from './image-source.js';

/** A sampler of a model's images that also says the classes it drew (empty for unconditional models). */
export type LabeledSampler = ImageSampler & { readonly labels: () => Int32Array };

/** What the Dataset of a model's images records: a GAN's or a VAE's spec. */
export interface SampledSpec {
  readonly name: string;
  readonly imageShape: ImageShape;
  readonly numClasses?: number;
  readonly classNames?: readonly string[];
}

/** All of a labeled sampler's images (in [−1, 1]) as a Dataset: float32 in [0, 1], labeled when the sampler drew labels. */
export async function samplerDataset(sampler: LabeledSampler, spec: SampledSpec, batchSize: number, caller: string): Promise<Dataset> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`${caller}: batchSize must be a positive integer, got ${describeValue(batchSize)}`);
  const size = spec.imageShape.reduce((a, b) => a * b, 1);
  const images = new Float32Array(sampler.count * size);
  for (let done = 0; done < sampler.count; ) {
    const n = Math.min(batchSize, sampler.count - done);
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
