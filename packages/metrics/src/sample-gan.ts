import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createRandom, InvalidArgumentError } from '@dgm/core';
import { fromArrays, type Dataset } from '@dgm/data';
import { generatorInputs, takesLabels, type Gan } from '@dgm/models';
import type { ImageSampler } from './image-source.js';

export interface SampleGanOptions {
  readonly gan: Gan;
  readonly count: number;
  /** Seed of the latents. Default 0. */
  readonly seed?: number;
  /** The generator to draw from, e.g. the EMA copy `trainGan` returns. Default gan.generator. */
  readonly generator?: tfl.LayersModel;
}

/**
 * A sampler of a GAN's images (in [−1, 1]) for `evaluateImages`, drawing standard normal
 * latents from `seed` (the same images however they are batched); conditional generators get the classes in turn (0, 1, …, 0, 1, …),
 * so that every class is equally represented.
 */
export function ganSampler(options: SampleGanOptions): ImageSampler & { readonly labels: () => Int32Array } {
  const { gan, count, seed = 0, generator = gan?.generator } = options ?? ({} as SampleGanOptions);
  if (gan?.spec === undefined || generator === undefined) throw new InvalidArgumentError('ganSampler: gan must be a GAN from @dgm/models');
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError(`ganSampler: count must be a positive integer, got ${count}`);
  const random = createRandom({ seed });
  const conditional = takesLabels(gan.spec).generator;
  const drawn: number[] = [];
  return {
    count,
    sample(n) {
      const labels = Int32Array.from({ length: n }, (_, i) => (drawn.length + i) % (gan.spec.numClasses ?? 1));
      drawn.push(...labels);
      // Latents drawn here, image by image, so that they do not depend on how the count is batched.
      const latents = Float32Array.from({ length: n * gan.spec.latentDim }, () => random.normal());
      return tf.tidy(() => {
        const z = tf.tensor2d(latents, [n, gan.spec.latentDim]);
        const inputs = generatorInputs(gan.spec, z, conditional ? tf.tensor2d(labels, [n, 1], 'int32') : undefined);
        return generator.predict(inputs) as tf.Tensor4D;
      });
    },
    labels: () => Int32Array.from(drawn),
  };
}

/** `count` images of a GAN as a Dataset (float32 in [0, 1]; labeled when conditional), e.g. for `computeCas`. */
export async function sampleGan(options: SampleGanOptions & { readonly batchSize?: number }): Promise<Dataset> {
  const sampler = ganSampler(options);
  const { spec } = options.gan;
  const size = spec.imageShape.reduce((a, b) => a * b, 1);
  const images = new Float32Array(options.count * size);
  for (let done = 0; done < options.count; ) {
    const n = Math.min(options.batchSize ?? 250, options.count - done);
    const batch = sampler.sample(n);
    const pixels = tf.tidy(() => tf.clipByValue(tf.div(tf.add(batch, 1), 2), 0, 1));
    images.set(await pixels.data(), done * size);
    tf.dispose([batch, pixels]);
    done += n;
  }
  const conditional = takesLabels(spec).generator;
  const classNames = Array.from({ length: spec.numClasses ?? 0 }, (_, i) => String(i));
  return fromArrays({ images, shape: spec.imageShape, name: spec.name, split: 'generated', ...(conditional ? { labels: sampler.labels(), classNames } : {}) });
}
