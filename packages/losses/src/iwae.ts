import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError } from '@dgm/core';
import { checkSameShape, checkTensor } from './check.js';
import { sigmoidCrossEntropy } from './adversarial.js';
import { logMeanExp } from './log-mean-exp.js';

/**
 * The importance-weighted bound (Burda, Grosse & Salakhutdinov 2016, IWAE): with k samples
 * z_i ~ q(z|x) and weights w_i = p(x, z_i)/q(z_i|x), L_k = log (1/k) Σ_i w_i. E[L_1] is the
 * ELBO, E[L_k] rises with k towards log p(x), so −L_k with k ≥ 100 estimates −log p(x) in nats.
 * The sample axis leads: log-weights are [k, batch], latents [k, batch, ...], decoder logits [k, batch, ...].
 */

/**
 * The negative bound averaged over the batch, −(1/B) Σ_b log (1/k) Σ_i exp(logWeights[i, b]):
 * a loss to minimize, like `elboLoss` (with k = 1 it is the one-sample negative ELBO).
 */
export function importanceWeightedLoss({ logWeights }: { logWeights: tf.Tensor }): tf.Scalar {
  checkTensor(logWeights, 'logWeights', 'importanceWeightedLoss');
  if (logWeights.rank !== 2) {
    throw new ShapeMismatchError(`importanceWeightedLoss: logWeights must be [samples, batch], got [${logWeights.shape}]`);
  }
  return tf.tidy(() => tf.neg(tf.mean(logMeanExp(logWeights, 0))) as tf.Scalar);
}

/**
 * log w = log p(x|z) + log N(z; 0, I) − log N(z; μ, σ²) for a diagonal-Gaussian q(z|x), summed
 * over the latent dimensions: log p(x|z) + Σ ½[(z − μ)²/σ² + log σ² − z²] (the log 2π terms cancel).
 * `samples` [k, batch, ...latent]; `mean`, `logVariance` [batch, ...latent]; `logLikelihood`
 * log p(x|z_i) [k, batch], e.g. from `bernoulliLogLikelihood`. Returns [k, batch].
 */
export function importanceLogWeights({ samples, mean, logVariance, logLikelihood }: {
  samples: tf.Tensor;
  mean: tf.Tensor;
  logVariance: tf.Tensor;
  logLikelihood: tf.Tensor;
}): tf.Tensor2D {
  const caller = 'importanceLogWeights';
  checkTensor(samples, 'samples', caller);
  checkTensor(mean, 'mean', caller);
  checkTensor(logVariance, 'logVariance', caller);
  checkTensor(logLikelihood, 'logLikelihood', caller);
  checkSameShape(mean, logVariance, ['mean', 'logVariance'], caller);
  checkSampled(samples, mean, ['samples', 'mean'], caller);
  const expected = [samples.shape[0], mean.shape[0]];
  if (!tf.util.arraysEqual(logLikelihood.shape, expected)) {
    throw new ShapeMismatchError(`${caller}: logLikelihood must be [samples, batch] = [${expected}], got [${logLikelihood.shape}]`);
  }
  return tf.tidy(() => {
    const precision = tf.exp(tf.neg(logVariance));
    const terms = tf.sub(tf.add(tf.mul(tf.square(tf.sub(samples, mean)), precision), logVariance), tf.square(samples));
    return tf.add(logLikelihood, tf.mul(sumPastSampleAndBatch(terms), 0.5)) as tf.Tensor2D;
  });
}

/**
 * log p(x|z) for Bernoulli pixels, per sample: −Σ softplus(l) − x·l over the data axes (the
 * negative of `bernoulliReconstructionLoss` before its batch mean). `logits` [k, batch, ...data]
 * from decoding each sample; `targets` [batch, ...data] in [0, 1]. Returns [k, batch].
 */
export function bernoulliLogLikelihood(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor2D {
  checkTensor(logits, 'logits', 'bernoulliLogLikelihood');
  checkTensor(targets, 'targets', 'bernoulliLogLikelihood');
  checkSampled(logits, targets, ['logits', 'targets'], 'bernoulliLogLikelihood');
  return tf.tidy(() => tf.neg(sumPastSampleAndBatch(sigmoidCrossEntropy(logits, targets))) as tf.Tensor2D);
}

/** Throws unless `sampled` is [k, ...perExample.shape] and `perExample` has a batch axis. */
function checkSampled(sampled: tf.Tensor, perExample: tf.Tensor, names: [string, string], caller: string): void {
  if (perExample.rank < 1 || !tf.util.arraysEqual(sampled.shape.slice(1), perExample.shape) || sampled.rank !== perExample.rank + 1) {
    throw new ShapeMismatchError(`${caller}: ${names[0]} [${sampled.shape}] must be [samples, ...${names[1]}'s shape [${perExample.shape}]]`);
  }
}

function sumPastSampleAndBatch(values: tf.Tensor): tf.Tensor {
  const axes = Array.from({ length: values.rank - 2 }, (_, i) => i + 2);
  return axes.length > 0 ? tf.sum(values, axes) : values;
}
