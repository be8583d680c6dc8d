import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@dgm/core';
import { checkSameShape, checkTensor } from './check.js';
import { sigmoidCrossEntropy } from './adversarial.js';

/**
 * Terms of the VAE objective (Kingma & Welling 2014): the negative ELBO is
 * E_q[−log p(x|z)] + β·KL(q(z|x) ‖ N(0, I)) (β-VAE, Higgins et al. 2017). Each term sums
 * over the dimensions of one example and averages over the batch (axis 0).
 */

/** −log p(x|z) for Bernoulli pixels with decoder logits: Σ softplus(l) − x·l, x in [0, 1]. */
export function bernoulliReconstructionLoss(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  checkTensor(logits, 'logits', 'bernoulliReconstructionLoss');
  checkTensor(targets, 'targets', 'bernoulliReconstructionLoss');
  checkSameShape(logits, targets, ['logits', 'targets'], 'bernoulliReconstructionLoss');
  return tf.tidy(() => perExampleMean(sigmoidCrossEntropy(logits, targets)));
}

/**
 * −log p(x|z) for a Gaussian decoder N(μ, σ²): Σ ½[(x − μ)²/σ² + log σ² + log 2π].
 * `logVariance`: a number or a tensor broadcast against μ; default 0 (σ = 1).
 */
export function gaussianReconstructionLoss(mean: tf.Tensor, targets: tf.Tensor, { logVariance = 0 }: { logVariance?: number | tf.Tensor } = {}): tf.Scalar {
  checkTensor(mean, 'mean', 'gaussianReconstructionLoss');
  checkTensor(targets, 'targets', 'gaussianReconstructionLoss');
  checkSameShape(mean, targets, ['mean', 'targets'], 'gaussianReconstructionLoss');
  return tf.tidy(() => {
    const logVar = typeof logVariance === 'number' ? tf.scalar(logVariance) : logVariance;
    const squared = tf.mul(tf.square(tf.sub(targets, mean)), tf.exp(tf.neg(logVar)));
    return perExampleMean(tf.mul(tf.add(tf.add(squared, logVar), Math.log(2 * Math.PI)), 0.5));
  });
}

/** KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²). */
export function gaussianKlDivergence(mean: tf.Tensor, logVariance: tf.Tensor): tf.Scalar {
  checkTensor(mean, 'mean', 'gaussianKlDivergence');
  checkTensor(logVariance, 'logVariance', 'gaussianKlDivergence');
  checkSameShape(mean, logVariance, ['mean', 'logVariance'], 'gaussianKlDivergence');
  return tf.tidy(() => perExampleMean(tf.mul(tf.sub(tf.sub(tf.add(1, logVariance), tf.square(mean)), tf.exp(logVariance)), -0.5)));
}

/** The negative ELBO: reconstruction + β·KL. β = 1 is the VAE; β > 1 the β-VAE. */
export function elboLoss({ reconstruction, kl, beta = 1 }: { reconstruction: tf.Scalar; kl: tf.Scalar; beta?: number }): tf.Scalar {
  checkTensor(reconstruction, 'reconstruction', 'elboLoss');
  checkTensor(kl, 'kl', 'elboLoss');
  if (!(beta >= 0)) throw new InvalidArgumentError(`elboLoss: beta must be ≥ 0, got ${beta}`);
  return tf.tidy(() => tf.add(reconstruction, tf.mul(kl, beta)));
}

function perExampleMean(values: tf.Tensor): tf.Scalar {
  const axes = Array.from({ length: values.rank - 1 }, (_, i) => i + 1);
  return tf.mean(axes.length > 0 ? tf.sum(values, axes) : values);
}
