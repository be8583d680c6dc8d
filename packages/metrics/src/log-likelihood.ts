import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { createRandom, describeValue, InvalidArgumentError, NumericalError, parseOptions, ShapeMismatchError, type OnProgress } from '@dgm/core';
import type { Vae } from '@dgm/models';
import { imageRangeCheck } from './check-image-range.js';
import { checkImageSource, imageCount, type ImageSource } from './image-source.js';
import { forEachLabeledBatch, isDataset } from './labeled-batches.js';
import { checkedLater, finite } from './options.js';
import { checkOnProgress } from './progress.js';
import { decoderTargets, klDivergence, sampleTerms } from './vae-log-weights.js';

export interface EstimateLogLikelihoodOptions {
  /** A VAE or CVAE of @dgm/models (`createVae`, `createCvae`), or anything shaped like one. */
  readonly vae: Vae;
  /**
   * Test images, float32 in [−1, 1] like every metric's: a tensor, a Dataset of @dgm/data or a
   * sampler. A Bernoulli decoder is scored on (x + 1) / 2 ∈ [0, 1]; a Gaussian one on x as given.
   */
  readonly data: ImageSource;
  /** A CVAE's class of each image, for a tensor or sampler (a Dataset brings its own). */
  readonly labels?: ArrayLike<number>;
  /** Importance samples k per image. Default 1000. */
  readonly samples?: number;
  /** Images per encoder pass. Default 100. */
  readonly batchSize?: number;
  /** Samples per decoder pass (memory: samplesPerPass · batchSize images decoded at once). Default: about 2²⁰ output values a pass. */
  readonly samplesPerPass?: number;
  /** Seed of the noise ε. Default 0. The same seed and batchSize give the same result. */
  readonly seed?: number;
  /** Called after each batch: stage 'log-likelihood', done = images so far, total = all images. */
  readonly onProgress?: OnProgress;
}

/** Averages over the test images, in nats per image (lower is better). */
export interface LogLikelihoodResult {
  /** −ELBO = KL(q(z|x) ‖ N(0, I)) (analytic) − E_q[log p(x|z)] (the mean over the k samples). */
  readonly negativeElbo: number;
  /** −log p(x) estimated by −log (1/k) Σ_i p(x, z_i)/q(z_i|x) (IWAE, Burda et al. 2016); an upper bound in expectation, tight as k grows. */
  readonly negativeLogLikelihood: number;
  readonly samples: number;
  readonly images: number;
}

const optionsSchema = z.strictObject({
  vae: checkedLater,
  data: checkedLater,
  labels: checkedLater,
  samples: finite.optional(),
  batchSize: finite.optional(),
  samplesPerPass: finite.optional(),
  seed: finite.optional(),
  onProgress: checkedLater,
});

const caller = 'estimateLogLikelihood';
/** Decoder output values per pass when samplesPerPass is not given. */
const valuesPerPass = 2 ** 20;

/**
 * The negative ELBO and the importance-weighted estimate of −log p(x) of a VAE on test images,
 * in nats, each per image in float64 and then averaged. For each batch, z_i = μ + σ·ε_i with
 * k seeded standard normal ε_i per image (drawn for the batch at once, so `samplesPerPass`
 * does not change them), decoded `samplesPerPass` at a time; log (1/k) Σ w_i is accumulated
 * across passes as a running log-sum-exp in float64.
 */
export async function estimateLogLikelihood(options: EstimateLogLikelihoodOptions): Promise<LogLikelihoodResult> {
  const o = checkOptions(options);
  const { vae, data, samples: k, batchSize, seed, onProgress } = o;
  const total = imageCount(data);
  const random = createRandom({ seed });
  let negativeElbo = 0;
  let negativeLogLikelihood = 0;
  let done = 0;
  // Pixels in [0, 1] or [0, 255] would be scored as other images (a Bernoulli target is (x + 1) / 2).
  const checkRange = imageRangeCheck(caller);
  await forEachLabeledBatch(data, o.labels, batchSize, caller, async (images, labels) => {
    await checkRange(images);
    const batch = await estimateBatch(vae, images, labels, k, o.samplesPerPass ?? Math.max(1, Math.floor(valuesPerPass / images.size)), random.uint32());
    for (let b = 0; b < batch.negativeElbo.length; b += 1) {
      negativeElbo += batch.negativeElbo[b]!;
      negativeLogLikelihood += batch.negativeLogLikelihood[b]!;
    }
    done += images.shape[0];
    onProgress?.({ stage: 'log-likelihood', done, total });
  });
  return { negativeElbo: negativeElbo / done, negativeLogLikelihood: negativeLogLikelihood / done, samples: k, images: done };
}

/** Per image of one batch: −ELBO and −log (1/k) Σ w_i, in float64. */
async function estimateBatch(vae: Vae, images: tf.Tensor4D, labels: tf.Tensor2D | undefined, k: number, perPass: number, seed: number) {
  checkImages(vae, images);
  const n = images.shape[0];
  const owned: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => (owned.push(t), t);
  try {
    const [mean, logVariance] = encode(vae, images, labels).map(keep) as [tf.Tensor2D, tf.Tensor2D];
    const targets = keep(decoderTargets(vae, images));
    const noise = keep(tf.randomNormal([k, n, vae.spec.latentDim], 0, 1, 'float32', seed) as tf.Tensor3D);
    const sums = new LogSumExp(n);
    const reconstruction = new Float64Array(n);
    for (let start = 0; start < k; start += perPass) {
      const chunk = tf.slice(noise, [start, 0, 0], [Math.min(perPass, k - start), -1, -1]);
      let terms: { logLikelihood: tf.Tensor; logWeights: tf.Tensor } | undefined;
      try {
        terms = sampleTerms(vae, targets, labels, mean, logVariance, chunk);
        const [logLikelihood, logWeights] = await Promise.all([terms.logLikelihood.data(), terms.logWeights.data()]);
        sums.add(logWeights);
        for (let i = 0; i < logLikelihood.length; i += 1) reconstruction[i % n] = reconstruction[i % n]! + logLikelihood[i]!;
      } finally {
        tf.dispose([chunk, ...(terms === undefined ? [] : [terms.logLikelihood, terms.logWeights])]);
      }
    }
    const kl = await keep(klDivergence(mean, logVariance)).data();
    const negativeLogLikelihood = sums.logMean(k).map((v) => -v);
    return { negativeElbo: Float64Array.from(kl, (v, b) => v - reconstruction[b]! / k), negativeLogLikelihood };
  } finally {
    tf.dispose(owned);
  }
}

/** Per-column log Σ exp over rows added in turn ([rows, n] values, row-major), kept stable by a running maximum. */
class LogSumExp {
  readonly #max: Float64Array;
  readonly #sum: Float64Array;
  constructor(n: number) {
    this.#max = new Float64Array(n).fill(-Infinity);
    this.#sum = new Float64Array(n);
  }
  add(values: ArrayLike<number>): void {
    const n = this.#max.length;
    for (let i = 0; i < values.length; i += 1) {
      const v = values[i]!;
      const b = i % n;
      if (Number.isNaN(v) || v === Infinity) throw new NumericalError(`${caller}: a log-weight is ${v}; the VAE's outputs are not finite`);
      if (v > this.#max[b]!) {
        this.#sum[b] = this.#sum[b]! * Math.exp(this.#max[b]! - v) + 1;
        this.#max[b] = v;
      } else {
        this.#sum[b] = this.#sum[b]! + Math.exp(v - this.#max[b]!);
      }
    }
  }
  /** log (1/k) Σ exp per column. */
  logMean(k: number): Float64Array {
    return this.#max.map((m, b) => m + Math.log(this.#sum[b]!) - Math.log(k));
  }
}

/** [mean, logVariance], each [n, latentDim], checked. */
function encode(vae: Vae, images: tf.Tensor4D, labels: tf.Tensor2D | undefined): [tf.Tensor2D, tf.Tensor2D] {
  const out = vae.encoder.predict(labels === undefined ? images : [images, labels]);
  const expected = [images.shape[0], vae.spec.latentDim];
  if (!Array.isArray(out) || out.length !== 2 || !out.every((t) => tf.util.arraysEqual(t.shape, expected))) {
    tf.dispose(out);
    throw new ShapeMismatchError(`${caller}: the encoder must give [mean, logVariance], each [${expected}]`);
  }
  return out as [tf.Tensor2D, tf.Tensor2D];
}

function checkImages(vae: Vae, images: tf.Tensor4D): void {
  if (!tf.util.arraysEqual(images.shape.slice(1), [...vae.spec.imageShape])) {
    throw new ShapeMismatchError(`${caller}: images are [${images.shape.slice(1)}], the VAE's imageShape is [${vae.spec.imageShape}]`);
  }
}

/** The options with defaults, checked before any tensor is built; `labels` resolved (a Dataset's own). */
function checkOptions(options: EstimateLogLikelihoodOptions) {
  const { vae, data, labels, samples = 1000, batchSize = 100, samplesPerPass, seed = 0, onProgress } = parseOptions(optionsSchema, options, caller) as EstimateLogLikelihoodOptions;
  const spec = (vae as Partial<Vae> | undefined)?.spec;
  if (typeof vae?.encoder?.predict !== 'function' || typeof vae.decoder?.predict !== 'function' || spec === undefined) {
    throw new InvalidArgumentError(`${caller}: vae must be { encoder, decoder, spec } (createVae, createCvae), got ${describeValue(vae)}`);
  }
  if (spec.decoder !== 'bernoulli' && spec.decoder !== 'gaussian') throw new InvalidArgumentError(`${caller}: spec.decoder must be 'bernoulli' or 'gaussian', got ${describeValue(spec.decoder)}`);
  positiveInteger(samples, 'samples');
  positiveInteger(batchSize, 'batchSize');
  if (samplesPerPass !== undefined) positiveInteger(samplesPerPass, 'samplesPerPass');
  if (!Number.isInteger(seed) || seed < 0) throw new InvalidArgumentError(`${caller}: seed must be a non-negative integer, got ${describeValue(seed)}`);
  checkOnProgress(onProgress, caller);
  checkImageSource(data, caller, 'data');
  const resolved = checkLabels(spec.numClasses, data, labels);
  return { vae, data, labels: resolved, samples, batchSize, samplesPerPass, seed, onProgress };
}

/** A CVAE's labels, one per image in [0, numClasses); none for a VAE. */
function checkLabels(numClasses: number | undefined, data: ImageSource, labels: ArrayLike<number> | undefined): ArrayLike<number> | undefined {
  if (isDataset(data) && labels !== undefined) throw new InvalidArgumentError(`${caller}: labels are for a tensor or sampler; a Dataset brings its own`);
  if (numClasses === undefined) {
    if (labels !== undefined) throw new InvalidArgumentError(`${caller}: labels given, but the VAE is not conditional (no spec.numClasses)`);
    return undefined;
  }
  if (labels !== undefined && !Array.isArray(labels) && !ArrayBuffer.isView(labels)) throw new InvalidArgumentError(`${caller}: labels must be an array of class indices, got ${describeValue(labels)}`);
  const given = isDataset(data) ? data.labels : labels;
  if (given === undefined) throw new InvalidArgumentError(`${caller}: a CVAE needs each image's label: a labeled Dataset, or labels beside a tensor or sampler`);
  const count = imageCount(data);
  if (given.length !== count) throw new InvalidArgumentError(`${caller}: ${count} images but ${given.length} labels`);
  for (let i = 0; i < given.length; i += 1) {
    const label = given[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) throw new InvalidArgumentError(`${caller}: label ${describeValue(label)} at index ${i} is not a class in [0, ${numClasses})`);
  }
  return given;
}

function positiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${caller}: ${name} must be a positive integer, got ${describeValue(value)}`);
}
