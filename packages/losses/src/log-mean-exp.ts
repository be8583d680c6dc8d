import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@dgm/core';
import { checkTensor } from './check.js';

// The largest float32: the shift m is clamped to ±this so that an all-(±∞) slice never forms ∞ − ∞.
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * log((1/k) Σ_i exp(x_i)) along `axis` (default 0), which is removed from the result.
 * Computed as m + log(mean(exp(x − m))) with m the max along the axis, so exp never
 * overflows and the largest term never underflows. A slice of −∞ only gives −∞ (not NaN);
 * its gradient is then undefined (NaN), as log 0 has none.
 */
export function logMeanExp(x: tf.Tensor, axis = 0): tf.Tensor {
  checkTensor(x, 'x', 'logMeanExp');
  if (!Number.isInteger(axis) || axis < -x.rank || axis >= x.rank) {
    throw new InvalidArgumentError(`logMeanExp: axis must be an integer in [${-x.rank}, ${x.rank}) for x of shape [${x.shape}], got ${axis}`);
  }
  const a = axis < 0 ? axis + x.rank : axis;
  return tf.tidy(() => {
    // m's gradient cancels exactly (∂/∂m of m + log mean exp(x − m) is 0), so no stop-gradient is needed.
    const m = tf.clipByValue(tf.max(x, a, true), -FLOAT32_MAX, FLOAT32_MAX);
    return tf.add(tf.squeeze(m, [a]), tf.log(tf.mean(tf.exp(tf.sub(x, m)), a)));
  });
}
