import * as tf from '@tensorflow/tfjs-core';
import { checkClassLabels, checkTensor } from './check.js';
import { softmaxCrossEntropy } from './classification.js';

/**
 * The semi-supervised GAN losses of Salimans et al. 2016 ("Improved Techniques for Training
 * GANs", §5): D has K class logits l and no separate real/fake output. Fixing the fake
 * class's logit at 0, D(x) = Z/(Z + 1) with Z = Σ_k e^{l_k}, so with s = logsumexp(l):
 * log D(x) = s − softplus(s) and log(1 − D(x)) = −softplus(s).
 */

/** The supervised term: cross-entropy of the K class logits on labeled images, E[s − l_y]. */
export function semiSupervisedClassLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  checkTensor(logits, 'logits', 'semiSupervisedClassLoss');
  checkClassLabels(logits, labels, 'semiSupervisedClassLoss');
  return softmaxCrossEntropy(logits as tf.Tensor2D, labels);
}

/**
 * The unsupervised term for D: −E[log D(x)] − E[log(1 − D(G(z)))]
 * = E[softplus(s_real) − s_real] + E[softplus(s_fake)].
 */
export function semiSupervisedDiscriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  checkTensor(realLogits, 'realLogits', 'semiSupervisedDiscriminatorLoss');
  checkTensor(fakeLogits, 'fakeLogits', 'semiSupervisedDiscriminatorLoss');
  return tf.tidy(() => {
    const real = tf.logSumExp(realLogits, -1);
    const fake = tf.logSumExp(fakeLogits, -1);
    return tf.add(tf.mean(tf.sub(tf.softplus(real), real)), tf.mean(tf.softplus(fake)));
  });
}

/** G's loss without feature matching: −E[log D(G(z))] = E[softplus(s_fake) − s_fake]. */
export function semiSupervisedGeneratorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  checkTensor(fakeLogits, 'fakeLogits', 'semiSupervisedGeneratorLoss');
  return tf.tidy(() => {
    const fake = tf.logSumExp(fakeLogits, -1);
    return tf.mean(tf.sub(tf.softplus(fake), fake));
  });
}
