import * as tf from '@tensorflow/tfjs-core';
import { describeValue, InvalidArgumentError, parseOptions } from '@dgm/core';
import * as z from 'zod';
import { collectBatches } from './collect-batches.js';
import { drawLatents, type DrawOptions, type LatentDraws } from './latent-draws.js';
import { finite } from './options.js';
import type { Vae } from './vae-spec.js';

/** `count`, `classes` (CVAE) and `seed` are those of `drawLatents`. */
export interface GenerateVaeOptions extends DrawOptions {
  /** The VAE or CVAE (its spec says what the decoder takes and outputs). */
  readonly vae: Vae;
  /** Images per forward pass (the result is the same for any). Default 250. */
  readonly batchSize?: number;
  /**
   * Which image of p(x|z): 'mean' (default; a Bernoulli decoder's pixel probabilities) or
   * 'mode' (a Bernoulli decoder's most probable image, each pixel black or white by p > ½;
   * a Gaussian decoder's mode is its mean). Classifiers trained on sharp digits read modes
   * more reliably than the blurry means.
   */
  readonly image?: VaeImage;
}

/** Which image of p(x|z) a VAE's samplers return. */
export type VaeImage = 'mean' | 'mode';

/** The types of `generateVae`'s options; the VAE, the ranges and the classes are checked after, with their own messages. */
const generateVaeSchema = z.looseObject({
  vae: z.unknown().optional(),
  count: finite,
  classes: z.unknown().optional(),
  seed: finite.optional(),
  batchSize: finite.optional(),
  image: z.enum(['mean', 'mode']).optional(),
});

/** Checks `generateVae`'s options (also those of samplers built on it) and returns the decoder's input draws. */
export function vaeLatentDraws(options: GenerateVaeOptions, caller: string): LatentDraws {
  const { vae } = parseOptions(generateVaeSchema, options, caller) as GenerateVaeOptions;
  if (vae?.spec === undefined || typeof vae.decoder?.predict !== 'function') throw new InvalidArgumentError(`${caller}: vae must be a VAE from @dgm/models ({ encoder, decoder, spec })`);
  if (vae.spec.decoder !== 'bernoulli' && vae.spec.decoder !== 'gaussian') {
    throw new InvalidArgumentError(`${caller}: vae.spec.decoder must be 'bernoulli' or 'gaussian', got ${describeValue(vae.spec.decoder)}`);
  }
  return drawLatents(vae.spec, options, caller);
}

/**
 * The decoder's images [n, h, w, c] in [−1, 1] for the next n draws: the mean, 2·sigmoid(logits) − 1
 * for a Bernoulli decoder (its mode: ±1 by the logits' sign); the mean clipped to [−1, 1] for a
 * Gaussian one (assumed trained on images in [−1, 1], as `estimateLogLikelihood` of
 * @dgm/metrics assumes).
 */
export function decodeBatch(vae: Vae, draws: LatentDraws, n: number, image: VaeImage = 'mean'): tf.Tensor4D {
  const { z, labels } = draws.next(n);
  return decodeLatents(vae, z, labels, image);
}

/**
 * `decodeBatch` of given latents: `z` [n · latentDim] row-major and, for a CVAE, one label per
 * latent (empty for a plain VAE), e.g. a grid's fixed latents or an encoder's means.
 */
export function decodeLatents(vae: Vae, z: Float32Array, labels: Int32Array, image: VaeImage = 'mean'): tf.Tensor4D {
  const n = z.length / vae.spec.latentDim;
  return tf.tidy(() => {
    const latents = tf.tensor2d(z, [n, vae.spec.latentDim]);
    const output = vae.decoder.predict(labels.length === 0 ? latents : [latents, tf.tensor2d(labels, [n, 1], 'int32')]) as tf.Tensor4D;
    if (vae.spec.decoder !== 'bernoulli') return tf.clipByValue(output, -1, 1);
    // p > ½ exactly where the logit is > 0.
    return image === 'mode' ? tf.sub(tf.mul(tf.cast(tf.greater(output, 0), 'float32'), 2), 1) : tf.sub(tf.mul(tf.sigmoid(output), 2), 1);
  });
}

/** The encoder's means [n · latentDim] of images [n, h, w, c] in [−1, 1] (with their labels for a CVAE; empty otherwise). */
export async function encoderMeans(vae: Vae, images: tf.Tensor4D, labels: Int32Array): Promise<Float32Array> {
  const mean = tf.tidy(() => {
    const input = labels.length === 0 ? images : [images, tf.tensor2d(labels, [labels.length, 1], 'int32')];
    return (vae.encoder.predict(input) as tf.Tensor[])[0]!;
  });
  try {
    return (await mean.data()) as Float32Array;
  } finally {
    mean.dispose();
  }
}

/**
 * `count` mean images of a VAE's decoder, in [−1, 1], from standard normal latents drawn from
 * `seed` (as `generate` draws a GAN's); a CVAE decodes `classes` in turn (by index or name).
 * `labels` are the classes of the images (undefined for a plain VAE).
 */
export function generateVae(options: GenerateVaeOptions): { readonly images: tf.Tensor4D; readonly labels: Int32Array | undefined } {
  const draws = vaeLatentDraws(options, 'generateVae');
  const { vae, count, batchSize = 250, image = 'mean' } = options;
  const images = collectBatches(count, batchSize, 'generateVae', (n) => decodeBatch(vae, draws, n, image));
  const labels = draws.labels();
  return { images, labels: labels.length === 0 ? undefined : labels };
}
