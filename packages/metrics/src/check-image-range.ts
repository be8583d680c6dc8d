import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@dgm/core';

/** How far past [−1, 1] a value may lie: the rounding of a rescale or a resize, not a wrong range. */
export const imageRangeTolerance = 1e-3;

/**
 * A check of the batches of one image source against the metrics' range, [−1, 1]; call it on
 * each batch in turn (it remembers whether an earlier batch had negative values). A batch is
 * refused, with an InvalidArgumentError that says what was seen and how to convert, when:
 * - it is not float32 (int32, bool, …: [0, 255] pixels convert with x / 127.5 − 1);
 * - it holds NaN;
 * - a value lies outside [−1, 1] by more than {@link imageRangeTolerance} (e.g. [0, 255] pixels);
 * - none of its values is below 0 and no earlier batch of the source had one: such images lie
 *   inside [−1, 1] but are almost surely pixels in [0, 1] (x · 2 − 1 converts them), since real
 *   images and tanh outputs in [−1, 1] always have negative values.
 * Min, max and the NaN count are read in one transfer; the batch is left to its owner.
 */
export function imageRangeCheck(caller: string): (batch: tf.Tensor) => Promise<void> {
  let negativeSeen = false;
  return async (batch) => {
    if (!(batch instanceof tf.Tensor)) throw new InvalidArgumentError(`${caller}: expected each batch of images to be a tf.Tensor4D, got ${typeof batch}`);
    if (batch.dtype !== 'float32') {
      throw new InvalidArgumentError(`${caller}: expected float32 images in [−1, 1], got dtype ${batch.dtype}; convert them, e.g. [0, 255] pixels with x / 127.5 − 1: tf.sub(tf.div(tf.cast(x, 'float32'), 127.5), 1)`);
    }
    if (batch.size === 0) return;
    const [min, max, nans] = await summarize(batch);
    if (nans > 0) throw new InvalidArgumentError(`${caller}: expected images in [−1, 1], got ${nans} NaN value(s) in a batch of ${batch.shape[0]}`);
    const seen = `got values in [${format(min)}, ${format(max)}]`;
    if (min < -1 - imageRangeTolerance || max > 1 + imageRangeTolerance) {
      const hint = min >= -imageRangeTolerance && max <= 255 + imageRangeTolerance ? 'looks like [0, 255] pixels: use x / 127.5 − 1' : 'rescale them to [−1, 1] (the range of a tanh generator and of the batches of a Dataset)';
      throw new InvalidArgumentError(`${caller}: expected images in [−1, 1], ${seen}; ${hint}`);
    }
    if (min < -imageRangeTolerance) negativeSeen = true;
    if (!negativeSeen) {
      throw new InvalidArgumentError(
        `${caller}: expected images in [−1, 1] with negative values, ${seen}; looks like [0, 1] pixels: use x · 2 − 1 (real and tanh images in [−1, 1] always have values below 0)`,
      );
    }
  };
}

/** [min, max, number of NaN] of a tensor, in one transfer. */
async function summarize(batch: tf.Tensor): Promise<[number, number, number]> {
  const summary = tf.tidy(() => tf.stack([tf.min(batch), tf.max(batch), tf.sum(tf.cast(tf.isNaN(batch), 'float32'))]));
  try {
    const [min = Number.NaN, max = Number.NaN, nans = 0] = await summary.data();
    return [min, max, nans];
  } finally {
    summary.dispose();
  }
}

function format(value: number): string {
  return String(Number(value.toPrecision(6)));
}
