import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@dgm/core';

/** `count` images made `batchSize` at a time by `batch(n)`, concatenated (nothing left behind if one fails). */
export function collectBatches(count: number, batchSize: number, caller: string, batch: (n: number) => tf.Tensor4D): tf.Tensor4D {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`${caller}: batchSize must be a positive integer, got ${JSON.stringify(batchSize)}`);
  const parts: tf.Tensor4D[] = [];
  let images: tf.Tensor4D;
  try {
    for (let done = 0; done < count; done += batchSize) parts.push(batch(Math.min(batchSize, count - done)));
    images = parts.length === 1 ? parts[0]! : tf.concat(parts);
  } catch (error) {
    tf.dispose(parts);
    throw error;
  }
  if (parts.length > 1) tf.dispose(parts);
  return images;
}
