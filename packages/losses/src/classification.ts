import * as tf from '@tensorflow/tfjs-core';
import { checkClassLabels, checkTensor } from './check.js';

/**
 * The auxiliary-classifier loss of AC-GAN (Odena et al. 2017): the cross-entropy of D's
 * class head on the images' classes, E[log Σ_k e^{l_k} − l_y]. D minimizes it on real and
 * fake images, G on fake ones (with the classes it was asked for).
 */
export function auxiliaryClassifierLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  checkTensor(logits, 'logits', 'auxiliaryClassifierLoss');
  checkClassLabels(logits, labels, 'auxiliaryClassifierLoss');
  return softmaxCrossEntropy(logits as tf.Tensor2D, labels);
}

/** E[log Σ_k e^{l_k} − l_y] over the rows of `logits`. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const picked = tf.sum(tf.mul(logits, tf.oneHot(labels, logits.shape[1])), 1);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), picked));
  });
}
