import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { createRandom, InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { describeWithBackends, expectFailureWithoutLeaks, expectNoLeakedTensors, expectTensorsClose } from '@dgm/core/testing';
import type { ErrorClass } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import * as losses from './index.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * A VAE on random numbers: q(z|x) = N(mean, exp(logVariance)) [batch, latent], k samples
 * z = mean + σ·noise [k, batch, latent], a linear decoder logits = z·weights [latent, pixels],
 * Bernoulli targets in [0, 1] [batch, pixels]. Float32 arrays, as the tensors hold them.
 */
interface Vae {
  k: number;
  batch: number;
  latent: number;
  pixels: number;
  mean: Float32Array;
  logVariance: Float32Array;
  noise: Float32Array;
  weights: Float32Array;
  targets: Float32Array;
}

function randomVae(seed: number, k: number, batch: number, latent = 3, pixels = 4): Vae {
  const random = createRandom({ seed });
  const draw = (n: number, f: () => number) => Float32Array.from({ length: n }, f);
  return {
    k, batch, latent, pixels,
    mean: draw(batch * latent, () => random.normal()),
    logVariance: draw(batch * latent, () => random.normal(-0.5, 0.7)),
    noise: draw(k * batch * latent, () => random.normal()),
    weights: draw(latent * pixels, () => random.normal()),
    targets: draw(batch * pixels, () => random.float()),
  };
}

/** The log-weights [k, batch] through the library, with μ and log σ² as given (so tf.grads can vary them). */
function logWeightsOf(vae: Vae, mean: tf.Tensor, logVariance: tf.Tensor): tf.Tensor2D {
  const { k, batch, latent, pixels } = vae;
  const samples = tf.add(mean, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), tf.tensor3d(vae.noise, [k, batch, latent])));
  const logits = tf.reshape(tf.matMul(tf.reshape(samples, [k * batch, latent]), tf.tensor2d(vae.weights, [latent, pixels])), [k, batch, pixels]);
  const logLikelihood = losses.bernoulliLogLikelihood(logits, tf.tensor2d(vae.targets, [batch, pixels]));
  return losses.importanceLogWeights({ samples, mean, logVariance, logLikelihood });
}

const logSigmoid = (l: number) => (l >= 0 ? -Math.log1p(Math.exp(-l)) : l - Math.log1p(Math.exp(l)));

/** log p(x|z) + log N(z; 0, I) − log N(z; μ, σ²) in float64 from the densities' definitions: [k][batch]. */
function referenceLogWeights(vae: Vae, mean: ArrayLike<number> = vae.mean, logVariance: ArrayLike<number> = vae.logVariance): number[][] {
  const { k, batch, latent, pixels } = vae;
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: batch }, (_, b) => {
      let logWeight = 0;
      const z: number[] = [];
      for (let d = 0; d < latent; d++) {
        const [mu, s] = [mean[b * latent + d]!, logVariance[b * latent + d]!];
        z.push(mu + Math.exp(s / 2) * vae.noise[(i * batch + b) * latent + d]!);
        const logPrior = -0.5 * z[d]! ** 2 - HALF_LOG_2PI;
        const logQ = -0.5 * (z[d]! - mu) ** 2 / Math.exp(s) - 0.5 * s - HALF_LOG_2PI;
        logWeight += logPrior - logQ;
      }
      for (let q = 0; q < pixels; q++) {
        const l = z.reduce((sum, zd, d) => sum + zd * vae.weights[d * pixels + q]!, 0);
        const x = vae.targets[b * pixels + q]!;
        logWeight += x * logSigmoid(l) + (1 - x) * logSigmoid(-l);
      }
      return logWeight;
    }),
  );
}

/** log((1/k) Σ exp v) in float64; `shift` (an exact identity) keeps exp in range at ±1e4. */
const referenceLogMeanExp = (v: readonly number[], shift = 0) => shift + Math.log(v.reduce((s, x) => s + Math.exp(x - shift), 0) / v.length);
const rowsOf = (w: Float32Array, k: number, batch: number) => Array.from({ length: k }, (_, i) => Array.from(w.subarray(i * batch, (i + 1) * batch)));
const columns = (rows: number[][]) => rows[0]!.map((_, b) => rows.map((row) => row[b]!));
/** −(1/B) Σ_b log (1/k) Σ_i exp(w[i][b]) in float64. */
const referenceLoss = (w: number[][], shift = (_: number[]) => 0) => -columns(w).reduce((s, c) => s + referenceLogMeanExp(c, shift(c)), 0) / w[0]!.length;

/** Runs `fn` in a tidy and reads its values, checking that nothing leaks. */
async function read(fn: () => tf.Tensor): Promise<{ shape: number[]; values: number[] }> {
  return expectNoLeakedTensors(() =>
    tf.tidy(() => {
      const out = fn();
      return { shape: out.shape, values: Array.from(out.dataSync()) };
    }),
  );
}

describeWithBackends(
  'importance-weighted bound',
  () => {
    it('log-weights and the loss match a float64 reference on the same random VAE', async () => {
      const vae = randomVae(21, 5, 4);
      const mean = () => tf.tensor2d(vae.mean, [vae.batch, vae.latent]);
      const logVariance = () => tf.tensor2d(vae.logVariance, [vae.batch, vae.latent]);
      const expected = referenceLogWeights(vae);
      const logWeights = await read(() => logWeightsOf(vae, mean(), logVariance()));
      expect(logWeights.shape).toEqual([vae.k, vae.batch]);
      expectTensorsClose(logWeights.values, expected.flat(), { rtol: 1e-5, atol: 1e-4 });
      const loss = await read(() => losses.importanceWeightedLoss({ logWeights: logWeightsOf(vae, mean(), logVariance()) }));
      expect(loss.shape).toEqual([]);
      expectTensorsClose(loss.values, [referenceLoss(expected)], { rtol: 1e-5, atol: 1e-4 });
    });

    it('sums over every latent and data axis: [k, batch, 2, 3] latents and [batch, 2, 2] images as flat ones', async () => {
      const random = createRandom({ seed: 4 });
      const draw = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => random.normal()), shape);
      const [samples, mean, logVariance, logLikelihood, logits] = [draw([2, 3, 2, 3]), draw([3, 2, 3]), draw([3, 2, 3]), draw([2, 3]), draw([2, 3, 2, 2])];
      const targets = tf.tensor(Array.from({ length: 12 }, () => random.float()), [3, 2, 2]);
      // both functions, as one [2, k, batch] tensor, on the inputs reshaped to `latent` and `image`
      const both = (latent: number[], image: number[]) => () => {
        const [z, mu, s] = [tf.reshape(samples, [2, ...latent]), tf.reshape(mean, latent), tf.reshape(logVariance, latent)];
        const weights = losses.importanceLogWeights({ samples: z, mean: mu, logVariance: s, logLikelihood });
        return tf.stack([weights, losses.bernoulliLogLikelihood(tf.reshape(logits, [2, ...image]), tf.reshape(targets, image))]);
      };
      const nested = await read(both([3, 2, 3], [3, 2, 2]));
      const flat = await read(both([3, 6], [3, 4]));
      expect(nested.shape).toEqual([2, 2, 3]);
      expectTensorsClose(nested.values, flat.values, { rtol: 1e-6, atol: 1e-6 });
      tf.dispose([samples, mean, logVariance, logLikelihood, logits, targets]);
    });

    it('with k = 1 is the ELBO of elboLoss, bernoulliReconstructionLoss and gaussianKlDivergence', async () => {
      // One sample z = μ + σε estimates KL by log q(z) − log p(z) = KL + ½(σ² − 1)(ε² − 1) + μσε per
      // dimension; with ε = ±1 and each example repeated with −ε, the excess cancels exactly.
      const base = randomVae(8, 1, 3);
      const random = createRandom({ seed: 9 });
      const signs = Array.from(base.noise, () => (random.float() < 0.5 ? 1 : -1));
      const twice = (a: ArrayLike<number>) => Float32Array.from([...Array.from(a), ...Array.from(a)]);
      const noise = Float32Array.from([...signs, ...signs.map((e) => -e)]);
      const vae: Vae = { ...base, batch: 6, mean: twice(base.mean), logVariance: twice(base.logVariance), targets: twice(base.targets), noise };
      const mean = () => tf.tensor2d(vae.mean, [vae.batch, vae.latent]);
      const logVariance = () => tf.tensor2d(vae.logVariance, [vae.batch, vae.latent]);
      const iwae = await read(() => losses.importanceWeightedLoss({ logWeights: logWeightsOf(vae, mean(), logVariance()) }));
      const elbo = await read(() => {
        const samples = tf.add(mean(), tf.mul(tf.exp(tf.mul(logVariance(), 0.5)), tf.tensor2d(vae.noise, [vae.batch, vae.latent])));
        const logits = tf.matMul(samples, tf.tensor2d(vae.weights, [vae.latent, vae.pixels]));
        const reconstruction = losses.bernoulliReconstructionLoss(logits, tf.tensor2d(vae.targets, [vae.batch, vae.pixels]));
        return losses.elboLoss({ reconstruction, kl: losses.gaussianKlDivergence(mean(), logVariance()) });
      });
      expectTensorsClose(iwae.values, elbo.values, { rtol: 1e-5, atol: 1e-5 });
    });

    it("satisfies Jensen's inequality per example: log mean w ≥ mean log w (equal for equal weights)", async () => {
      const random = createRandom({ seed: 13 });
      const [k, batch] = [16, 6];
      const offsets = Array.from({ length: batch }, () => random.normal(0, 50));
      // example 0 has equal log-weights, the others a spread of 5 nats around their offset
      const weights = Array.from({ length: k }, () => offsets.map((o, b) => (b === 0 ? o : o + random.normal(0, 5))));
      const w32 = Float32Array.from(weights.flat());
      const bound = await read(() => losses.logMeanExp(tf.tensor2d(w32, [k, batch]), 0));
      const loss = await read(() => losses.importanceWeightedLoss({ logWeights: tf.tensor2d(w32, [k, batch]) }));
      const means = columns(rowsOf(w32, k, batch)).map((c) => c.reduce((s, v) => s + v, 0) / k);
      for (let b = 0; b < batch; b++) expect(bound.values[b]!, `example ${b}`).toBeGreaterThanOrEqual(means[b]! - 1e-5 * Math.abs(means[b]!));
      expect(bound.values[0]).toBeCloseTo(means[0]!, 4);
      // the loss (negative bound) is at most the one-sample negative ELBO averaged over the same samples
      expect(loss.values[0]!).toBeLessThanOrEqual(-means.reduce((s, m) => s + m, 0) / batch + 1e-4);
    });

    it('stays finite at log-weights of ±1e4, with the gradient −softmax/B', async () => {
      const random = createRandom({ seed: 17 });
      const [k, batch] = [6, 4];
      // example 0 all near +1e4, example 1 all near −1e4, the others mixed at random
      const sign = (b: number) => (b === 0 ? 1 : b === 1 ? -1 : random.float() < 0.5 ? 1 : -1);
      const w32 = Float32Array.from({ length: k * batch }, (_, n) => sign(n % batch) * 1e4 + random.normal(0, 3));
      const logWeights = () => tf.tensor2d(w32, [k, batch]);
      const naive = await read(() => tf.neg(tf.mean(tf.log(tf.mean(tf.exp(logWeights()), 0)))));
      expect(Number.isFinite(naive.values[0]), `naive ${naive.values[0]}`).toBe(false);
      const rows = rowsOf(w32, k, batch);
      const loss = await read(() => losses.importanceWeightedLoss({ logWeights: logWeights() }));
      expectTensorsClose(loss.values, [referenceLoss(rows, (c) => Math.max(...c))], { rtol: 0, atol: 2e-3 });
      const gradient = await read(() => tf.grad((w: tf.Tensor) => losses.importanceWeightedLoss({ logWeights: w }))(logWeights()));
      expect(gradient.values.every(Number.isFinite)).toBe(true);
      const bounds = columns(rows).map((c) => referenceLogMeanExp(c, Math.max(...c)));
      expectTensorsClose(gradient.values, rows.flatMap((row) => row.map((v, b) => -Math.exp(v - bounds[b]!) / k / batch)), { rtol: 1e-4, atol: 1e-6 });
    });

    it('gives a −∞ log-weight zero weight, and an example whose weights are all zero an infinite loss (not NaN)', async () => {
      const random = createRandom({ seed: 19 });
      const rows = [[-Infinity, -Infinity], [random.normal(), -Infinity], [random.normal(), -Infinity]];
      const loss = await read(() => losses.importanceWeightedLoss({ logWeights: tf.tensor2d(rows) }));
      expect(loss.values[0]).toBe(Infinity);
      const finite = await read(() => losses.importanceWeightedLoss({ logWeights: tf.tensor2d(rows.map((r) => [r[0]!])) }));
      expectTensorsClose(finite.values, [referenceLoss(rows.map((r) => [r[0]!]))], { rtol: 1e-5, atol: 1e-5 });
    });

    it('has gradients in μ and log σ² (through the reparameterized samples) equal to float64 finite differences', async () => {
      const vae = randomVae(23, 4, 3);
      const gradients = await read(() => {
        const loss = (mu: tf.Tensor, s: tf.Tensor) => losses.importanceWeightedLoss({ logWeights: logWeightsOf(vae, mu, s) });
        const [dMu, dS] = tf.grads(loss)([tf.tensor2d(vae.mean, [vae.batch, vae.latent]), tf.tensor2d(vae.logVariance, [vae.batch, vae.latent])]);
        return tf.concat([tf.reshape(dMu!, [-1]), tf.reshape(dS!, [-1])]);
      });
      expect(gradients.values.every(Number.isFinite)).toBe(true);
      const h = 1e-6;
      const difference = (which: 'mean' | 'logVariance', n: number) => {
        const at = (delta: number) => {
          const moved = Float64Array.from(vae[which], (v, j) => (j === n ? v + delta : v));
          return referenceLoss(which === 'mean' ? referenceLogWeights(vae, moved) : referenceLogWeights(vae, vae.mean, moved));
        };
        return (at(h) - at(-h)) / (2 * h);
      };
      const expected = [...Array.from(vae.mean, (_, n) => difference('mean', n)), ...Array.from(vae.logVariance, (_, n) => difference('logVariance', n))];
      expectTensorsClose(gradients.values, expected, { rtol: 1e-3, atol: 1e-4 });
    });

    it('rejects bad input with typed errors before running any kernel', async () => {
      const t = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => tf.zeros(shape, dtype);
      // valid: k = 4 samples, batch 3, latent 2
      const [z, mu, s, ll] = [t([4, 3, 2]), t([3, 2]), t([3, 2]), t([4, 3])];
      const [vector, rank4, wide, badBatch, transposed, ints] = [t([3]), t([4, 3, 2, 1]), t([3, 3]), t([4, 4, 2]), t([3, 4]), t([3, 2], 'int32')];
      const weights = (bad: Partial<Parameters<typeof losses.importanceLogWeights>[0]>) => () =>
        losses.importanceLogWeights({ samples: z, mean: mu, logVariance: s, logLikelihood: ll, ...bad });
      const cases: [() => unknown, ErrorClass, RegExp][] = [
        [() => losses.importanceWeightedLoss({} as { logWeights: tf.Tensor }), InvalidArgumentError, /logWeights must be a tensor/],
        [() => losses.importanceWeightedLoss({ logWeights: vector }), ShapeMismatchError, /logWeights must be \[samples, batch\], got \[3\]/],
        [() => losses.importanceWeightedLoss({ logWeights: rank4 }), ShapeMismatchError, /logWeights must be \[samples, batch\]/],
        [weights({ logVariance: wide }), ShapeMismatchError, /mean \[3,2\] and logVariance \[3,3\] must have the same shape/],
        [weights({ samples: badBatch }), ShapeMismatchError, /samples \[4,4,2\] must be \[samples, \.\.\.mean's shape \[3,2\]\]/],
        [weights({ samples: mu }), ShapeMismatchError, /samples \[3,2\] must be \[samples/],
        [weights({ logLikelihood: transposed }), ShapeMismatchError, /logLikelihood must be \[samples, batch\] = \[4,3\], got \[3,4\]/],
        [weights({ mean: ints }), InvalidArgumentError, /mean must be float32, got int32/],
        [() => losses.bernoulliLogLikelihood(mu, s), ShapeMismatchError, /logits \[3,2\] must be \[samples, \.\.\.targets's shape \[3,2\]\]/],
        [() => losses.bernoulliLogLikelihood(z, ints), InvalidArgumentError, /targets must be float32/],
      ];
      for (const [fn, error, message] of cases) {
        const profile = await tf.profile(async () => {
          await expectFailureWithoutLeaks(fn, { error, message });
        });
        expect(profile.kernels.map((k) => k.name), String(message)).toEqual([]);
      }
      tf.dispose([z, mu, s, ll, vector, rank4, wide, badBatch, transposed, ints]);
    });
  },
  { init },
);
