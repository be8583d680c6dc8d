import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createRandom, initBackend } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose } from '@dgm/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { disableFastKernels, enableFastKernels, fastKernelsStatus } from './enable-fast-kernels.js';

// Every replaced kernel, through the public ops, against tfjs's stock cpu kernels.
const random = createRandom({ seed: 2024 });
const pick = <T>(xs: readonly T[]): T => xs[random.int(xs.length)]!;
const values = (n: number) => Float32Array.from({ length: n }, () => random.normal());

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  dilations: number;
}

const convCases: ConvCase[] = [
  { name: 'DCGAN D layer, k4 s2 same', x: [2, 14, 14, 8], filter: [4, 4, 8, 16], strides: 2, pad: 'same', dilations: 1 },
  { name: 'batch 1, odd size, k3 s1 valid', x: [1, 7, 9, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'valid', dilations: 1 },
  { name: 'odd size, k3 s2 same', x: [3, 9, 7, 5], filter: [3, 3, 5, 6], strides: 2, pad: 'same', dilations: 1 },
  { name: 'even kernel, k2 s2 valid', x: [2, 8, 8, 4], filter: [2, 2, 4, 3], strides: 2, pad: 'valid', dilations: 1 },
  { name: 'one input channel, k4 s2 same', x: [2, 28, 28, 1], filter: [4, 4, 1, 8], strides: 2, pad: 'same', dilations: 1 },
  { name: 'one output channel, k5 s1 same', x: [2, 6, 6, 4], filter: [5, 5, 4, 1], strides: 1, pad: 'same', dilations: 1 },
  { name: 'pointwise, k1 s1', x: [2, 5, 5, 6], filter: [1, 1, 6, 7], strides: 1, pad: 'valid', dilations: 1 },
  { name: 'explicit padding, k3 s2', x: [2, 8, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: [[0, 0], [1, 2], [2, 0], [0, 0]], dilations: 1 },
  { name: 'stride larger than kernel, k1 s2', x: [2, 9, 9, 3], filter: [1, 1, 3, 4], strides: 2, pad: 'same', dilations: 1 },
  { name: 'wide channels, k3 s1 same', x: [1, 5, 5, 37], filter: [3, 3, 37, 19], strides: 1, pad: 'same', dilations: 1 },
];
for (let i = 0; i < 4; i++) {
  const k = pick([1, 2, 3, 4]);
  const strides = pick([1, 2]);
  const h = pick([5, 6, 7, 8, 11]);
  convCases.push({
    name: `random ${i}: k${k} s${strides}`,
    x: [pick([1, 2, 3]), h, pick([5, 6, 7, 9]), pick([1, 2, 3, 8])],
    filter: [k, k, 0, pick([1, 3, 8])],
    strides,
    pad: pick(['same', 'valid'] as const),
    dilations: 1,
  });
}
const dilated: ConvCase = { name: 'dilated k3 d2 (forward only)', x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same', dilations: 2 };
for (const c of convCases) c.filter[2] = c.x[3];

interface MatMulCase {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}
const matMulCases: MatMulCase[] = [];
for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    const [m, k, n] = [pick([1, 3, 13, 64]), pick([1, 5, 17, 100]), pick([1, 7, 9, 33])];
    const a = transposeA ? [k, m] : [m, k];
    const b = transposeB ? [n, k] : [k, n];
    matMulCases.push({ a, b, transposeA, transposeB });
    matMulCases.push({ a: [3, ...a], b: [3, ...b], transposeA, transposeB });
    matMulCases.push({ a: [2, 3, ...a], b: [1, ...b], transposeA, transposeB });
  }
}

type Results = Record<string, { shape: number[]; data: Float32Array }>;

/** Every op's outputs and gradients, as plain arrays. */
function compute(): Results {
  const out: Results = {};
  const keep = (name: string, t: tf.Tensor) => (out[name] = { shape: t.shape, data: t.dataSync() as Float32Array });
  tf.tidy(() => {
    const source = createRandom({ seed: 7 });
    const data = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => source.normal()), shape);
    for (const c of [...convCases, dilated]) {
      const x = data(c.x) as tf.Tensor4D;
      const w = data(c.filter) as tf.Tensor4D;
      const bias = data([c.filter[3]]) as tf.Tensor1D;
      const conv = (input: tf.Tensor4D, filter: tf.Tensor4D) => tf.conv2d(input, filter, c.strides, c.pad, 'NHWC', c.dilations);
      keep(`${c.name} conv2d`, conv(x, w));
      keep(`${c.name} fused relu`, tf.fused.conv2d({ x, filter: w, strides: c.strides, pad: c.pad, dilations: c.dilations, bias, activation: 'relu' }));
      keep(
        `${c.name} fused leakyrelu`,
        tf.fused.conv2d({ x, filter: w, strides: c.strides, pad: c.pad, dilations: c.dilations, bias, activation: 'leakyrelu', leakyreluAlpha: 0.3 }),
      );
      if (c.dilations !== 1) continue;
      const y = conv(x, w);
      const dy = data(y.shape);
      const [dx, dw] = tf.grads((input: tf.Tensor, filter: tf.Tensor) => conv(input as tf.Tensor4D, filter as tf.Tensor4D))([x, w], dy);
      keep(`${c.name} input gradient`, dx!);
      keep(`${c.name} filter gradient`, dw!);
      // Conv2DBackpropInput as a forward op (a transposed convolution), and its own gradients.
      const transposed = (input: tf.Tensor, filter: tf.Tensor) =>
        tf.conv2dTranspose(input as tf.Tensor4D, filter as tf.Tensor4D, c.x, c.strides, c.pad as 'same' | 'valid');
      if (typeof c.pad === 'string') {
        keep(`${c.name} conv2dTranspose`, transposed(dy, w));
        const [ddy, ddw] = tf.grads(transposed)([dy, w], data(c.x));
        keep(`${c.name} conv2dTranspose gradients`, tf.concat([tf.reshape(ddy!, [-1]), tf.reshape(ddw!, [-1])]));
      }
    }
    for (const [i, c] of matMulCases.entries()) {
      const a = data(c.a);
      const b = data(c.b);
      keep(`matMul ${i}`, tf.matMul(a, b, c.transposeA, c.transposeB));
      const n = c.transposeB ? c.b.at(-2)! : c.b.at(-1)!;
      keep(`fused matMul ${i}`, tf.fused.matMul({ a, b, transposeA: c.transposeA, transposeB: c.transposeB, bias: data([n]), activation: 'elu' }));
      if (c.a.length !== c.b.length) continue; // tfjs's BatchMatMul gradient does not handle broadcast batches
      const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.sigmoid(tf.matMul(p, q, c.transposeA, c.transposeB))))([a, b]);
      keep(`matMul gradients ${i}`, tf.concat([tf.reshape(da!, [-1]), tf.reshape(db!, [-1])]));
    }
    // Element-wise ops and reductions (replaced on cpu): every broadcast pattern and axis set.
    const pairs: [number[], number[]][] = [
      [[4, 3, 5, 6], [4, 3, 5, 6]],
      [[4, 3, 5, 6], []],
      [[], [4, 3, 5, 6]],
      [[4, 3, 5, 6], [6]],
      [[4, 3, 5, 6], [1, 1, 1, 6]],
      [[4, 3, 5, 6], [4, 1, 1, 1]],
      [[4, 3, 5, 6], [3, 5, 1]],
      [[4, 1], [1, 6]],
      [[4, 3, 5, 6], [4, 1, 5, 1]], // not one contiguous run: stock kernel
    ];
    for (const [i, [sa, sb]] of pairs.entries()) {
      const a = data(sa);
      const b = tf.add(data(sb), 2); // away from 0 for the division
      for (const [name, op] of Object.entries({ add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div })) keep(`${name} ${i}`, op(a, b));
      keep(`greater ${i}`, tf.cast(tf.greater(a, b), 'float32'));
      keep(`less ${i}`, tf.cast(tf.less(b, a), 'float32'));
    }
    const x = data([4, 3, 5, 6]);
    // UnsortedSegmentSum (missing on wasm, one pass per segment on cpu) through the gradient of gather, as for embeddings.
    const table = data([5, 3]);
    const ids = tf.tensor1d([4, 0, 4, 2, 4], 'int32');
    keep('gather gradient', tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), data([5, 3]))))(table));
    keep('unsortedSegmentSum', tf.unsortedSegmentSum(data([6, 2]), tf.tensor1d([1, -1, 3, 1, 0, 7], 'int32'), 4));
    keep('leakyRelu', tf.leakyRelu(x, 0.3));
    // A clone outlives its source (the wasm Identity shares the data by reference count).
    const original = tf.add(x, 1);
    const clone = tf.clone(original);
    original.dispose();
    keep('clone', tf.mul(clone, 2));
    // LeakyRelu's gradient, and the gradient of that gradient (as penalties take it), through x with exact zeros.
    const xz = tf.mul(x, tf.cast(tf.greater(tf.abs(x), 0.3), 'float32'));
    const dyL = data(x.shape);
    keep('leakyRelu gradient', tf.grad((t: tf.Tensor) => tf.leakyRelu(t, 0.3))(xz, dyL));
    keep('leakyRelu second order', tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(u, 0.2), t)))(xz))))(dyL));
    // Batch norm's forward pass with each per-channel input given or not, and the reductions' gradients.
    const [mu, variance, scale, offset] = [data([6]), tf.add(tf.abs(data([6])), 0.5), data([6]), data([6])];
    keep('batchNorm', tf.batchNorm(x, mu, variance, offset, scale, 1e-3));
    keep('batchNorm no scale or offset', tf.batchNorm(x, mu, variance, undefined, undefined, 1e-3));
    keep('batchNorm 2-D', tf.batchNorm(data([7, 6]), mu, variance, offset, scale, 1e-5));
    // Big enough (> 2^18 values) to be cut into chunks that the threads share.
    const big = data([64, 8, 8, 80]);
    const [bigMean, bigVariance] = [data([80]), tf.add(tf.abs(data([80])), 0.5)];
    keep('leakyRelu, chunked', tf.leakyRelu(big, 0.2));
    keep('leakyRelu gradient, chunked', tf.grad((t: tf.Tensor) => tf.leakyRelu(t, 0.2))(big, tf.neg(big)));
    keep('sum and mean, chunked', tf.concat([tf.sum(big, [0, 1, 2]), tf.mean(big, [1, 2, 3])]));
    keep('batchNorm and its gradients, chunked', tf.concat(tf.grads((t: tf.Tensor, g: tf.Tensor) => tf.batchNorm(t, bigMean, bigVariance, data([80]), g, 1e-3))([big, data([80])], big).map((d) => tf.reshape(d, [-1]))));
    keep('sum and mean gradients', tf.grad((t: tf.Tensor) => tf.add(tf.sum(tf.square(tf.mean(t, [0, 1, 2]))), tf.sum(tf.exp(tf.sum(t, [1, 2], true)))))(x));
    for (const [i, [shape, reps]] of ([[[1, 1, 7], [2, 3, 1]], [[1, 3], [5, 1]], [[1, 1, 1, 6], [4, 3, 5, 1]], [[4, 3, 5, 1], [1, 1, 1, 6]], [[2, 3], [3, 2]], [[5], [4]], [[2, 1, 3], [1, 4, 1]]] as const).entries()) {
      keep(`tile ${i}`, tf.tile(data([...shape]), [...reps]));
    }
    keep('tile int32', tf.cast(tf.tile(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), [2, 3]), 'float32'));
    keep('where', tf.where(tf.greater(x, 0.1), x, tf.mul(x, -2)));
    for (const axis of [[0, 1, 2], [0], [3], [1, 2], [2, 3], [0, 1, 2, 3], [-1], [0, 2]]) {
      for (const keepDims of [false, true]) {
        keep(`sum ${axis} ${keepDims}`, tf.sum(x, axis, keepDims));
        keep(`mean ${axis} ${keepDims}`, tf.mean(x, axis, keepDims));
      }
    }
  });
  return out;
}

let reference: Results;

beforeAll(async () => {
  disableFastKernels();
  await initBackend({ backend: 'cpu' });
  reference = compute();
  await enableFastKernels({ threads: 2 });
});

afterAll(() => disableFastKernels());

describeWithBackends('fast kernels', ({ backend }) => {
  it('are the ones running', () => {
    expect(fastKernelsStatus()).toMatchObject({ enabled: true, threads: 2 });
    expect(fastKernelsStatus().backends).toContain(backend);
  });

  it('match the stock cpu kernels on every op, output and gradient, to 1e-4 relative, without leaks', async () => {
    const results = await expectNoLeakedTensors(() => compute());
    expect(Object.keys(results)).toEqual(Object.keys(reference));
    for (const [name, expected] of Object.entries(reference)) {
      const actual = results[name]!;
      expect(actual.shape, name).toEqual(expected.shape);
      try {
        expectTensorsClose(actual.data, expected.data, { rtol: 1e-4, atol: 1e-4 });
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
      }
    }
  });
});

it('falls back to the stock kernel for what it does not handle (prelu)', async () => {
  await initBackend({ backend: 'cpu' });
  const x = tf.tensor4d(values(2 * 5 * 5 * 3), [2, 5, 5, 3]);
  const w = tf.tensor4d(values(3 * 3 * 3 * 4), [3, 3, 3, 4]);
  const alpha = tf.tensor1d([0.1, 0.2, 0.3, 0.4]);
  await expectNoLeakedTensors(() =>
    tf.tidy(() => {
      const fused = tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', activation: 'prelu', preluActivationWeights: alpha });
      const plain = tf.prelu(tf.conv2d(x, w, 1, 'same'), tf.reshape(alpha, [1, 1, 1, 4]) as tf.Tensor4D);
      expectTensorsClose(fused, plain, { rtol: 1e-4, atol: 1e-4 });
    }),
  );
  tf.dispose([x, w, alpha]);
});
