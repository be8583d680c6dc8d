import * as tf from '@tensorflow/tfjs-core';
import { batches, type Dataset } from '@dgm/data';
import { forEachBatch, type ImageSource } from './image-source.js';

/**
 * Like `forEachBatch` (same sources, same [−1, 1] checks), with each batch's labels as an
 * [n, 1] int32 tensor when `labels` is wanted: a Dataset's own, or else `labels` given beside a
 * tensor or sampler, taken in image order. Both tensors are disposed after `use`.
 * For a Dataset, pass its own `labels` (or undefined for none).
 */
export async function forEachLabeledBatch(
  source: ImageSource,
  labels: ArrayLike<number> | undefined,
  batchSize: number,
  caller: string,
  use: (images: tf.Tensor4D, labels: tf.Tensor2D | undefined) => Promise<void>,
): Promise<void> {
  if (isDataset(source) && labels !== undefined) {
    // The batches of a Dataset bring their own labels (and images in [−1, 1], @dgm/data's default range).
    for await (const batch of batches({ dataset: source, batchSize, order: 'sequential', labels: true })) {
      const column = tf.tidy(() => tf.expandDims(batch.labels!, 1) as tf.Tensor2D);
      try {
        await use(batch.images, column);
      } finally {
        tf.dispose([batch.images, batch.labels!, column]);
      }
    }
    return;
  }
  let done = 0;
  await forEachBatch(source, batchSize, caller, async (images) => {
    const n = images.shape[0];
    const column = labels === undefined ? undefined : tf.tensor2d(Int32Array.from({ length: n }, (_, i) => labels[done + i]!), [n, 1], 'int32');
    done += n;
    try {
      await use(images, column);
    } finally {
      column?.dispose();
    }
  });
}

/** A Dataset of @dgm/data, as opposed to a tensor or a sampler. */
export function isDataset(source: ImageSource): source is Dataset {
  return !(source instanceof tf.Tensor) && typeof (source as { sample?: unknown }).sample !== 'function';
}
