import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError } from '@dgm/core';
import { bernoulliLogLikelihood, importanceLogWeights } from '@dgm/losses';
import type { Vae } from '@dgm/models';

/**
 * The per-sample terms of one pass over a batch, both [samples, batch]: log p(x|z_i) and the
 * importance log-weight log w_i = log p(x|z_i) + log p(z_i) − log q(z_i|x), with
 * z_i = μ + σ·ε_i, through @dgm/losses' `importanceLogWeights` and `bernoulliLogLikelihood`
 * (and a Gaussian decoder's log-likelihood with the spec's fixed variance).
 */
export interface SampleTerms {
  readonly logLikelihood: tf.Tensor2D;
  readonly logWeights: tf.Tensor2D;
}

/** What the decoder is scored against: Bernoulli targets in [0, 1], or the images as given. */
export function decoderTargets(vae: Vae, images: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    // Metrics take images in [−1, 1]; Bernoulli pixels are probabilities in [0, 1].
    const x = vae.spec.decoder === 'bernoulli' ? tf.div(tf.add(images, 1), 2) : images;
    return tf.reshape(x, [images.shape[0], -1]) as tf.Tensor2D;
  });
}

/**
 * Decodes the k·batch latents of `noise` ([k, batch, latent] standard normal) in one call and
 * scores them. `targets` [batch, pixels] from `decoderTargets`; `labels` [batch, 1] for a CVAE.
 */
export function sampleTerms(vae: Vae, targets: tf.Tensor2D, labels: tf.Tensor2D | undefined, mean: tf.Tensor2D, logVariance: tf.Tensor2D, noise: tf.Tensor3D): SampleTerms {
  return tf.tidy(() => {
    const [k, batch, latent] = noise.shape;
    const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), noise));
    const flat = tf.reshape(z, [k * batch, latent]);
    // Sample-major rows (i·batch + b), so the labels repeat as whole batches.
    const decoded = vae.decoder.predict(labels === undefined ? flat : [flat, tf.tile(labels, [k, 1])]) as tf.Tensor;
    const expected = [k * batch, ...vae.spec.imageShape];
    if (!tf.util.arraysEqual(decoded.shape, expected)) throw new ShapeMismatchError(`estimateLogLikelihood: the decoder gave [${decoded.shape}], expected [${expected}]`);
    const logLikelihood = pixelLogLikelihood(vae, tf.reshape(decoded, [k, batch, -1]), targets);
    return { logLikelihood, logWeights: importanceLogWeights({ samples: z, mean, logVariance, logLikelihood }) };
  });
}

/** log p(x|z) summed over the pixels, [k, batch], from the decoder's [k, batch, pixels] output. */
function pixelLogLikelihood(vae: Vae, output: tf.Tensor, targets: tf.Tensor2D): tf.Tensor2D {
  if (vae.spec.decoder === 'bernoulli') return bernoulliLogLikelihood(output, targets);
  const logVariance = vae.spec.gaussianLogVariance ?? 0;
  const pixels = targets.shape[1];
  const squares = tf.mul(tf.sum(tf.square(tf.sub(output, targets)), 2), Math.exp(-logVariance));
  return tf.mul(tf.add(squares, pixels * (logVariance + Math.log(2 * Math.PI))), -0.5) as tf.Tensor2D;
}

/** KL(q(z|x) ‖ N(0, I)) per image, [batch]: ½ Σ (μ² + σ² − log σ² − 1). */
export function klDivergence(mean: tf.Tensor2D, logVariance: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mul(tf.sum(tf.sub(tf.sub(tf.add(tf.square(mean), tf.exp(logVariance)), logVariance), 1), 1), 0.5) as tf.Tensor1D);
}
