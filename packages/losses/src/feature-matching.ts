import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError } from '@dgm/core';
import { checkTensor } from './check.js';

/**
 * Feature matching (Salimans et al. 2016, "Improved Techniques for Training GANs", §3.1):
 * G matches the mean of an intermediate layer f of D on real data,
 * L_G = ‖E[f(x)] − E[f(G(z))]‖₂², means over the batch (axis 0).
 */
export function featureMatchingLoss(realFeatures: tf.Tensor, fakeFeatures: tf.Tensor): tf.Scalar {
  checkTensor(realFeatures, 'realFeatures', 'featureMatchingLoss');
  checkTensor(fakeFeatures, 'fakeFeatures', 'featureMatchingLoss');
  if (!tf.util.arraysEqual(realFeatures.shape.slice(1), fakeFeatures.shape.slice(1))) {
    throw new ShapeMismatchError(
      `featureMatchingLoss: features of real [${realFeatures.shape}] and fake [${fakeFeatures.shape}] images must match past the batch axis`,
    );
  }
  return tf.tidy(() => tf.sum(tf.square(tf.sub(tf.mean(realFeatures, 0), tf.mean(fakeFeatures, 0)))));
}
