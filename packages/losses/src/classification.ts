import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@dgm/core';
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

/**
 * Softmax cross-entropy of class logits [n, K] against integer labels [n], averaged over the
 * batch; with label smoothing ε (Szegedy et al. 2016) the targets are (1 − ε)·onehot + ε/K.
 */
export function crossEntropyLoss(logits: tf.Tensor, labels: tf.Tensor, { labelSmoothing = 0 }: { labelSmoothing?: number } = {}): tf.Scalar {
  checkTensor(logits, 'logits', 'crossEntropyLoss');
  checkClassLabels(logits, labels, 'crossEntropyLoss');
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new InvalidArgumentError(`crossEntropyLoss: labelSmoothing must be in [0, 1), got ${labelSmoothing}`);
  if (labelSmoothing === 0) return softmaxCrossEntropy(logits as tf.Tensor2D, labels);
  return tf.tidy(() => {
    const k = logits.shape[1]!;
    const targets = tf.add(tf.mul(tf.oneHot(labels, k), 1 - labelSmoothing), labelSmoothing / k);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, targets), 1)));
  });
}
