import * as tf from '@tensorflow/tfjs-core';
import { describeValue, InvalidArgumentError } from '@dgm/core';
import { batches, type Dataset } from '@dgm/data';
import { imageRangeCheck } from './check-image-range.js';

/** Draws fresh float32 images in [−1, 1] on demand (e.g. from a generator); the batches it returns are disposed after use. */
export interface ImageSampler {
  readonly count: number;
  sample(n: number): tf.Tensor4D;
}

/**
 * Images to measure, float32 in [−1, 1]: a tensor (left to its owner), a Dataset (whose
 * batches are in [−1, 1]), or a sampler. Tensors and sampled batches are checked: see
 * `imageRangeCheck` (no NaN, nothing outside [−1, 1], and some values below 0).
 */
export type ImageSource = tf.Tensor4D | Dataset | ImageSampler;

/** The number of images of a source. */
export function imageCount(source: ImageSource): number {
  return source instanceof tf.Tensor ? (source.shape[0] ?? 0) : source.count;
}

/** Refuses what is not an image source, before anything is drawn or extracted. */
export function checkImageSource(source: unknown, caller: string, name = 'images'): asserts source is ImageSource {
  if (source instanceof tf.Tensor) {
    if (source.rank !== 4) throw new InvalidArgumentError(`${caller}: ${name} must be [n, height, width, channels], got shape [${source.shape.join(', ')}]`);
    return;
  }
  const s = source as Partial<ImageSampler & Dataset> | null | undefined;
  if (typeof s?.sample === 'function') {
    if (!Number.isInteger(s.count) || s.count! < 1) throw new InvalidArgumentError(`${caller}: a sampler's count must be a positive integer, got ${describeValue(s.count)}`);
    return;
  }
  if (Number.isInteger(s?.count) && s?.images !== undefined) return;
  throw new InvalidArgumentError(`${caller}: ${name} must be a tf.Tensor4D, a Dataset from @dgm/data or { count, sample(n) }, got ${describeValue(source)}`);
}

/**
 * Calls `use` on consecutive batches of at most `batchSize` images of the source, disposing each
 * after. The batches of a tensor or a sampler are first checked to be float32 in [−1, 1]
 * (`imageRangeCheck`): a wrong range is an InvalidArgumentError, not a wrong score.
 */
export async function forEachBatch(source: ImageSource, batchSize: number, caller: string, use: (images: tf.Tensor4D) => void | Promise<void>): Promise<void> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`${caller}: batchSize must be a positive integer, got ${batchSize}`);
  const check = imageRangeCheck(caller);
  if (source instanceof tf.Tensor) {
    if (source.rank !== 4) throw new InvalidArgumentError(`${caller}: images must be [n, height, width, channels], got shape [${source.shape.join(', ')}]`);
    for (let start = 0; start < source.shape[0]; start += batchSize) {
      const batch = tf.slice(source, [start, 0, 0, 0], [Math.min(batchSize, source.shape[0] - start), -1, -1, -1]);
      try {
        await check(batch);
        await use(batch);
      } finally {
        batch.dispose();
      }
    }
  } else if (typeof (source as ImageSampler)?.sample === 'function') {
    const sampler = source as ImageSampler;
    if (!Number.isInteger(sampler.count) || sampler.count < 1) throw new InvalidArgumentError(`${caller}: a sampler's count must be a positive integer, got ${sampler.count}`);
    for (let done = 0; done < sampler.count; done += batchSize) {
      const batch = sampler.sample(Math.min(batchSize, sampler.count - done));
      try {
        await check(batch);
        await use(batch);
      } finally {
        batch?.dispose?.();
      }
    }
  } else if (Number.isInteger((source as Dataset)?.count) && (source as Dataset).images !== undefined) {
    for await (const batch of batches({ dataset: source as Dataset, batchSize, order: 'sequential', labels: false })) {
      try {
        await use(batch.images);
      } finally {
        batch.images.dispose();
      }
    }
  } else {
    throw new InvalidArgumentError(`${caller}: images must be a tf.Tensor4D, a Dataset from @dgm/data or { count, sample(n) }`);
  }
}
