import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRandom, initBackend, InvalidArgumentError, type Progress } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { fromArrays } from '@dgm/data';
import { createCvae, createVae, type Vae } from '@dgm/models';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { estimateLogLikelihood } from './log-likelihood.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const pixels = 4; // 2×2×1 images
const latent = 2;

/** A linear decoder p(x|z) = N(Wz + b, σ²I) with orthogonal columns of W (so the exact posterior has a diagonal covariance). */
function linearModel(seed: number) {
  const random = createRandom({ seed });
  const u = () => random.float() * 2 - 1;
  // Column 0 uses pixels 0 and 2, column 1 pixels 1 and 3: WᵀW is diagonal.
  const w = [[u(), 0], [0, u()], [u(), 0], [0, u()]];
  const b = Array.from({ length: pixels }, () => u() * 0.3);
  return { w, b, logVariance: Math.log(0.2) };
}

type Linear = ReturnType<typeof linearModel>;

/**
 * The VAE of a linear model whose encoder gives the exact posterior N(Σ Wᵀ(x − b)/σ², Σ),
 * Σ = (I + WᵀW/σ²)⁻¹, moved by `shift` (mean) and `scale` (variance) to make q wrong.
 */
function linearVae({ w, b, logVariance }: Linear, { shift = 0, scale = 1 } = {}): Vae {
  const variance = Math.exp(logVariance);
  const posterior = [0, 1].map((i) => 1 / (1 + w.reduce((s, row) => s + row[i]! ** 2, 0) / variance));
  const kernel = w.map((row) => row.map((v, i) => (v * posterior[i]!) / variance));
  const bias = [0, 1].map((i) => shift - b.reduce((s, bp, p) => s + bp * kernel[p]![i]!, 0));
  const dense = (name: string, k: number[][], c: number[], units: number) => tfl.layers.dense({ units, name, weights: [tf.tensor2d(k), tf.tensor1d(c)] });
  const image = tfl.input({ shape: [2, 2, 1] });
  const flat = tfl.layers.flatten().apply(image) as tfl.SymbolicTensor;
  const outputs = [
    dense('mean', kernel, bias, latent).apply(flat) as tfl.SymbolicTensor,
    dense('logVariance', w.map(() => [0, 0]), posterior.map((p) => Math.log(p * scale)), latent).apply(flat) as tfl.SymbolicTensor,
  ];
  const encoder = tfl.model({ inputs: image, outputs });
  const z = tfl.input({ shape: [latent] });
  const mean = dense('decoded', [0, 1].map((i) => w.map((row) => row[i]!)), b, pixels).apply(z) as tfl.SymbolicTensor;
  const decoder = tfl.model({ inputs: z, outputs: tfl.layers.reshape({ targetShape: [2, 2, 1] }).apply(mean) as tfl.SymbolicTensor });
  const spec = { family: 'vae', name: 'linear', imageShape: [2, 2, 1], latentDim: latent, conditioning: 'none', decoder: 'gaussian', gaussianLogVariance: logVariance, options: {} } as const;
  return { encoder, decoder, spec };
}

/** The mean over images of −log N(x; b, WWᵀ + σ²I), in float64 (Cholesky). */
function exactNegativeLogLikelihood({ w, b, logVariance }: Linear, images: Float32Array): number {
  const cov = b.map((_, p) => b.map((_, q) => w[p]!.reduce((s, v, i) => s + v * w[q]![i]!, 0) + (p === q ? Math.exp(logVariance) : 0)));
  const l = cov.map(() => new Array<number>(pixels).fill(0));
  for (let p = 0; p < pixels; p += 1) {
    for (let q = 0; q <= p; q += 1) {
      const s = cov[p]![q]! - l[p]!.slice(0, q).reduce((acc, v, r) => acc + v * l[q]![r]!, 0);
      l[p]![q] = p === q ? Math.sqrt(s) : s / l[q]![q]!;
    }
  }
  const logDet = 2 * l.reduce((s, row, p) => s + Math.log(row[p]!), 0);
  let total = 0;
  const count = images.length / pixels;
  for (let n = 0; n < count; n += 1) {
    // Solve L y = x − b; the quadratic form is |y|².
    const y: number[] = [];
    for (let p = 0; p < pixels; p += 1) y.push((images[n * pixels + p]! - b[p]! - l[p]!.slice(0, p).reduce((s, v, r) => s + v * y[r]!, 0)) / l[p]![p]!);
    total += 0.5 * (y.reduce((s, v) => s + v * v, 0) + logDet + pixels * Math.log(2 * Math.PI));
  }
  return total / count;
}

function uniformImages(count: number, size: number, seed: number): Float32Array {
  const random = createRandom({ seed });
  return Float32Array.from({ length: count * size }, () => random.float() * 2 - 1);
}

describe('estimateLogLikelihood on a linear-Gaussian VAE', () => {
  const model = linearModel(3);
  const values = uniformImages(16, pixels, 4);
  const exact = exactNegativeLogLikelihood(model, values);

  it('with the exact posterior every weight is p(x): the estimate is exact for any k', async () => {
    const vae = linearVae(model);
    const data = tf.tensor4d(values, [16, 2, 2, 1]);
    for (const [samples, samplesPerPass] of [[1, undefined], [7, undefined], [64, 5]] as const) {
      const result = await expectNoLeakedTensors(() => estimateLogLikelihood({ vae, data, samples, batchSize: 6, seed: samples, ...(samplesPerPass ? { samplesPerPass } : {}) }));
      expect(result.images).toBe(16);
      expect(result.samples).toBe(samples);
      expect(Math.abs(result.negativeLogLikelihood - exact) / Math.abs(exact)).toBeLessThan(1e-4);
    }
    // KL(q ‖ posterior) = 0, so −ELBO's only error is its Monte Carlo reconstruction term.
    const many = await estimateLogLikelihood({ vae, data, samples: 2000, seed: 1 });
    expect(Math.abs(many.negativeElbo - exact) / Math.abs(exact)).toBeLessThan(0.02);
    data.dispose();
  });

  it('with a wrong q, the estimate falls towards the exact value as k grows, below −ELBO', async () => {
    const vae = linearVae(model, { shift: 0.8, scale: 3 });
    const wide = uniformImages(64, pixels, 8);
    const target = exactNegativeLogLikelihood(model, wide);
    const data = tf.tensor4d(wide, [64, 2, 2, 1]);
    const one = await expectNoLeakedTensors(() => estimateLogLikelihood({ vae, data, samples: 1, seed: 5 }));
    const many = await expectNoLeakedTensors(() => estimateLogLikelihood({ vae, data, samples: 500, seed: 5 }));
    // The estimate is noisy (its spread over seeds is about 0.01 nats here at k = 500): 0.05 is several of it.
    const tolerance = 0.05;
    expect(one.negativeLogLikelihood - target).toBeGreaterThan(1);
    expect(Math.abs(many.negativeLogLikelihood - target)).toBeLessThan(tolerance);
    // −ELBO stays above by about KL(q ‖ posterior), which this q makes large.
    expect(many.negativeElbo - many.negativeLogLikelihood).toBeGreaterThan(1);
    // The noise is drawn per batch, so decoding it in smaller passes changes nothing but rounding.
    const passes = await estimateLogLikelihood({ vae, data, samples: 500, seed: 5, samplesPerPass: 33 });
    expect(passes.negativeLogLikelihood).toBeCloseTo(many.negativeLogLikelihood, 5);
    expect(passes.negativeElbo).toBeCloseTo(many.negativeElbo, 5);
    data.dispose();
  });
});

describe('estimateLogLikelihood on a Bernoulli decoder that ignores z', () => {
  it('scores (x + 1) / 2 against sigmoid(b) exactly, when q is the prior', async () => {
    const random = createRandom({ seed: 9 });
    const b = Array.from({ length: pixels }, () => random.float() * 4 - 2);
    const zeros = (rows: number, cols: number) => Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
    const dense = (units: number, kernel: number[][], bias: number[]) => tfl.layers.dense({ units, weights: [tf.tensor2d(kernel), tf.tensor1d(bias)] });
    const image = tfl.input({ shape: [2, 2, 1] });
    const flat = tfl.layers.flatten().apply(image) as tfl.SymbolicTensor;
    // q(z|x) = N(0, I) = p(z) and p(x|z) = p(x): every weight is p(x).
    const encoder = tfl.model({ inputs: image, outputs: [0, 1].map(() => dense(latent, zeros(pixels, latent), [0, 0]).apply(flat) as tfl.SymbolicTensor) });
    const z = tfl.input({ shape: [latent] });
    const decoder = tfl.model({ inputs: z, outputs: tfl.layers.reshape({ targetShape: [2, 2, 1] }).apply(dense(pixels, zeros(latent, pixels), b).apply(z)) as tfl.SymbolicTensor });
    const vae: Vae = { encoder, decoder, spec: { family: 'vae', name: 'constant', imageShape: [2, 2, 1], latentDim: latent, conditioning: 'none', decoder: 'bernoulli', options: {} } };
    const values = uniformImages(8, pixels, 10);
    let exact = 0;
    values.forEach((v, i) => {
      const [x, p] = [(v + 1) / 2, 1 / (1 + Math.exp(-b[i % pixels]!))];
      exact -= (x * Math.log(p) + (1 - x) * Math.log(1 - p)) / 8;
    });
    const data = tf.tensor4d(values, [8, 2, 2, 1]);
    const result = await expectNoLeakedTensors(() => estimateLogLikelihood({ vae, data, samples: 5, batchSize: 3 }));
    expect(Math.abs(result.negativeLogLikelihood - exact) / exact).toBeLessThan(1e-5);
    expect(Math.abs(result.negativeElbo - exact) / exact).toBeLessThan(1e-5);
    data.dispose();
  });
});

describe('estimateLogLikelihood on createVae and createCvae models', () => {
  const tiny = { imageShape: [28, 28, 1], latentDim: 2, encoderFilters: 2, decoderFilters: 2 } as const;
  const size = 28 * 28;

  it('runs a Bernoulli and a Gaussian VAE end to end: finite, seeded, no leaked tensors', async () => {
    const data = tf.tensor4d(uniformImages(3, size, 6), [3, 28, 28, 1]);
    for (const vae of [createVae(tiny), createVae({ ...tiny, decoder: 'gaussian', gaussianLogVariance: -1 })]) {
      const run = (seed: number) => expectNoLeakedTensors(() => estimateLogLikelihood({ vae, data, samples: 4, batchSize: 2, seed }));
      const a = await run(1);
      expect(Number.isFinite(a.negativeElbo) && Number.isFinite(a.negativeLogLikelihood)).toBe(true);
      expect(await run(1)).toEqual(a);
      expect((await run(2)).negativeLogLikelihood).not.toBe(a.negativeLogLikelihood);
    }
    data.dispose();
  });

  it('reads a CVAE\'s labels from a Dataset or beside a tensor, and they matter', async () => {
    const vae = createCvae({ ...tiny, numClasses: 3 });
    const images = uniformImages(4, size, 7).map((v) => (v + 1) / 2);
    const labels = [0, 2, 1, 2];
    const dataset = fromArrays({ images, shape: [28, 28, 1], labels, classNames: ['a', 'b', 'c'], name: 'toy', split: 'test' });
    const fromDataset = await expectNoLeakedTensors(() => estimateLogLikelihood({ vae, data: dataset, samples: 3, batchSize: 3 }));
    const data = tf.tidy(() => tf.sub(tf.mul(tf.tensor4d(images, [4, 28, 28, 1]), 2), 1) as tf.Tensor4D);
    const fromTensor = await expectNoLeakedTensors(() => estimateLogLikelihood({ vae, data, labels, samples: 3, batchSize: 3 }));
    expect(fromTensor.negativeLogLikelihood).toBeCloseTo(fromDataset.negativeLogLikelihood, 3);
    const other = await estimateLogLikelihood({ vae, data, labels: [1, 0, 2, 0], samples: 3, batchSize: 3 });
    expect(other.negativeLogLikelihood).not.toBeCloseTo(fromTensor.negativeLogLikelihood, 3);
    data.dispose();
  });
});

describe('estimateLogLikelihood options', () => {
  it('refuses bad options with InvalidArgumentError before building anything', async () => {
    const vae = linearVae(linearModel(1));
    const cvae = createCvae({ imageShape: [28, 28, 1], latentDim: 2, encoderFilters: 2, decoderFilters: 2, numClasses: 2 });
    const data = tf.tensor4d(uniformImages(2, pixels, 2), [2, 2, 2, 1]);
    const cvaeData = tf.tensor4d(uniformImages(2, 28 * 28, 2), [2, 28, 28, 1]);
    const calls = [vi.spyOn(vae.encoder, 'predict'), vi.spyOn(cvae.encoder, 'predict')];
    const bad: unknown[] = [
      { vae, data, samples: 0 },
      { vae, data, samples: 2.5 },
      { vae, data, batchSize: 0 },
      { vae, data, samplesPerPass: -1 },
      { vae, data, seed: -1 },
      { data },
      { vae: {}, data },
      { vae, data, extra: 1 },
      { vae, data, onProgress: 'yes' },
      { vae, data: [1, 2] },
      { vae, data, labels: [0, 1] },
      { vae: cvae, data: cvaeData },
      { vae: cvae, data: cvaeData, labels: [0] },
      { vae: cvae, data: cvaeData, labels: [0, 2] },
    ];
    await expectNoLeakedTensors(async () => {
      for (const options of bad) await expect(estimateLogLikelihood(options as never), JSON.stringify(Object.keys(options as object))).rejects.toThrow(InvalidArgumentError);
    });
    for (const spy of calls) expect(spy).not.toHaveBeenCalled();
    tf.dispose([data, cvaeData]);
  });

  it('refuses images outside [−1, 1] (pixels in [0, 255] or [0, 1]) with InvalidArgumentError', async () => {
    const vae = linearVae(linearModel(1));
    const pixels255 = tf.mul(tf.add(tf.tensor4d(uniformImages(2, pixels, 2), [2, 2, 2, 1]), 1), 127.5) as tf.Tensor4D;
    const pixels01 = tf.div(tf.add(tf.tensor4d(uniformImages(2, pixels, 2), [2, 2, 2, 1]), 1), 2) as tf.Tensor4D;
    await expectNoLeakedTensors(async () => {
      await expect(estimateLogLikelihood({ vae, data: pixels255, samples: 2 })).rejects.toThrow('looks like [0, 255] pixels');
      await expect(estimateLogLikelihood({ vae, data: pixels01, samples: 2 })).rejects.toThrow('looks like [0, 1] pixels');
    });
    tf.dispose([pixels255, pixels01]);
  });

  it('reports the images done after each batch', async () => {
    const vae = linearVae(linearModel(2));
    const data = tf.tensor4d(uniformImages(16, pixels, 3), [16, 2, 2, 1]);
    const calls: Progress[] = [];
    await estimateLogLikelihood({ vae, data, samples: 2, batchSize: 6, onProgress: (p) => void calls.push(p) });
    expect(calls).toEqual([6, 12, 16].map((done) => ({ stage: 'log-likelihood', done, total: 16 })));
    data.dispose();
  });
});
