import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@dgm/core';
import { checkTensor } from './check.js';

/**
 * Adversarial losses of D's raw outputs (logits) on real and fake images, any shape, each
 * a mean over the batch. σ is the logistic function, softplus(x) = log(1 + eˣ), so
 * −log σ(x) = softplus(−x) and −log(1 − σ(x)) = softplus(x).
 */

export interface DiscriminatorLossOptions {
  /**
   * One-sided label smoothing (Salimans et al. 2016, "Improved Techniques for Training
   * GANs"): the target of real images is 1 − labelSmoothing (e.g. 0.1 → 0.9); fake stays 0.
   */
  readonly labelSmoothing?: number;
}

/**
 * D's loss of the original GAN (Goodfellow et al. 2014), used with both G losses below:
 * L_D = −E[t·log σ(D(x)) + (1 − t)·log(1 − σ(D(x)))] − E[log(1 − σ(D(G(z))))], t = 1 − smoothing.
 */
export function minimaxDiscriminatorLoss(real: tf.Tensor, fake: tf.Tensor, options: DiscriminatorLossOptions = {}): tf.Scalar {
  check(real, fake, 'minimaxDiscriminatorLoss');
  const smoothing = options.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing < 1)) throw new InvalidArgumentError(`minimaxDiscriminatorLoss: labelSmoothing must be in [0, 1), got ${smoothing}`);
  return tf.tidy(() => tf.add(tf.mean(sigmoidCrossEntropy(real, 1 - smoothing)), tf.mean(sigmoidCrossEntropy(fake, 0))) as tf.Scalar);
}

/** G's loss of the original minimax game (saturates when D wins): L_G = E[log(1 − σ(D(G(z))))] = −E[softplus(D(G(z)))]. */
export function minimaxGeneratorLoss(fake: tf.Tensor): tf.Scalar {
  checkTensor(fake, 'fake', 'minimaxGeneratorLoss');
  return tf.tidy(() => tf.neg(tf.mean(tf.softplus(fake))) as tf.Scalar);
}

/** The non-saturating G loss (Goodfellow et al. 2014, §3): L_G = −E[log σ(D(G(z)))] = E[softplus(−D(G(z)))]. */
export function nonSaturatingGeneratorLoss(fake: tf.Tensor): tf.Scalar {
  checkTensor(fake, 'fake', 'nonSaturatingGeneratorLoss');
  return tf.tidy(() => tf.mean(tf.softplus(tf.neg(fake))));
}

/** Least squares GAN (Mao et al. 2017, a = 0, b = c = 1): L_D = ½E[(D(x) − 1)²] + ½E[D(G(z))²]. */
export function leastSquaresDiscriminatorLoss(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  check(real, fake, 'leastSquaresDiscriminatorLoss');
  return tf.tidy(() => tf.mul(tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake))), 0.5) as tf.Scalar);
}

/** Least squares GAN: L_G = ½E[(D(G(z)) − 1)²]. */
export function leastSquaresGeneratorLoss(fake: tf.Tensor): tf.Scalar {
  checkTensor(fake, 'fake', 'leastSquaresGeneratorLoss');
  return tf.tidy(() => tf.mul(tf.mean(tf.square(tf.sub(fake, 1))), 0.5));
}

/** Hinge loss (Lim & Ye 2017; Miyato et al. 2018): L_D = E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]. */
export function hingeDiscriminatorLoss(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  check(real, fake, 'hingeDiscriminatorLoss');
  return tf.tidy(() => tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake)))) as tf.Scalar);
}

/** Hinge loss: L_G = −E[D(G(z))]. */
export function hingeGeneratorLoss(fake: tf.Tensor): tf.Scalar {
  checkTensor(fake, 'fake', 'hingeGeneratorLoss');
  return tf.tidy(() => tf.neg(tf.mean(fake)) as tf.Scalar);
}

/** Wasserstein GAN critic (Arjovsky et al. 2017): L_D = E[D(G(z))] − E[D(x)]; pair it with a gradient penalty. */
export function wassersteinDiscriminatorLoss(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  check(real, fake, 'wassersteinDiscriminatorLoss');
  return tf.tidy(() => tf.sub(tf.mean(fake), tf.mean(real)));
}

/** Wasserstein GAN: L_G = −E[D(G(z))]. */
export function wassersteinGeneratorLoss(fake: tf.Tensor): tf.Scalar {
  checkTensor(fake, 'fake', 'wassersteinGeneratorLoss');
  return tf.tidy(() => tf.neg(tf.mean(fake)) as tf.Scalar);
}

/** −[t·log σ(x) + (1 − t)·log(1 − σ(x))] = softplus(x) − t·x, elementwise and stable. */
export function sigmoidCrossEntropy(logits: tf.Tensor, target: number | tf.Tensor): tf.Tensor {
  return tf.sub(tf.softplus(logits), tf.mul(logits, target));
}

function check(real: unknown, fake: unknown, caller: string): asserts real is tf.Tensor {
  checkTensor(real, 'real', caller);
  checkTensor(fake, 'fake', caller);
}
