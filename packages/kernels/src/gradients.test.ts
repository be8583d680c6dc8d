import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { createRandom, initBackend } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose } from '@dgm/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { disableFastKernels, enableFastKernels } from './enable-fast-kernels.js';

const random = createRandom({ seed: 11 });
const data = (shape: number[], scale = 1) =>
  tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * random.normal()), shape);

/** Gradients of a loss through tf.batchNorm with batch statistics, as tfjs-layers computes it in training. */
function batchNormGradients(shape: number[], seed: number): Float32Array[] {
  const source = createRandom({ seed });
  const tensor = (s: number[]) => tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => source.normal()), s);
  return tf.tidy(() => {
    const channels = shape.at(-1)!;
    const [x, gamma, beta, weights] = [tensor(shape), tensor([channels]), tensor([channels]), tensor(shape)];
    const axes = shape.slice(0, -1).map((_, i) => i);
    const loss = (input: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
      const { mean, variance } = tf.moments(input, axes);
      return tf.sum(tf.mul(tf.batchNorm(input, mean, variance, offset, scale, 1e-3), weights));
    };
    return tf.grads(loss)([x, gamma, beta]).map((g) => g.dataSync() as Float32Array);
  });
}

const shapes = [
  [8, 5, 5, 6],
  [16, 12],
];
let stock: Float32Array[][];

beforeAll(async () => {
  disableFastKernels();
  await initBackend({ backend: 'cpu' });
  stock = shapes.map((shape, i) => batchNormGradients(shape, i));
  await enableFastKernels();
});
afterAll(() => disableFastKernels());

describeWithBackends('gradients', () => {
  it("batch-norm gradients equal tfjs's own (x, scale, offset, through batch statistics)", async () => {
    const fast = await expectNoLeakedTensors(() => shapes.map((shape, i) => batchNormGradients(shape, i)));
    fast.forEach((grads, i) => grads.forEach((g, j) => expectTensorsClose(g, stock[i]![j]!, { rtol: 1e-4, atol: 1e-4 })));
  });

  it("tile gradients equal tfjs's own", async () => {
    const cases: [number[], number[]][] = [
      [[1, 1, 1, 5], [3, 2, 4, 1]],
      [[3, 2, 4, 1], [1, 1, 1, 5]],
      [[2, 3], [2, 2]],
      [[4], [3]],
      [[2, 1, 3], [1, 1, 1]],
    ];
    const gradients = () =>
      cases.map(([shape, reps], i) =>
        tf.tidy(() => {
          const source = createRandom({ seed: i });
          const weights = tf.tensor(Float32Array.from({ length: shape.reduce((a, b, k) => a * b * reps[k]!, 1) }, () => source.normal()), shape.map((d, k) => d * reps[k]!));
          return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.tile(x, reps), weights)))(tf.ones(shape)).dataSync() as Float32Array;
        }),
      );
    const fast = await expectNoLeakedTensors(gradients);
    disableFastKernels();
    const stock = gradients();
    await enableFastKernels();
    fast.forEach((g, i) => expectTensorsClose(g, stock[i]!, { rtol: 1e-5, atol: 1e-5 }));
  });

  it('second-order gradients through LeakyReLU work (gradient penalty) and match finite differences', async () => {
    const x = data([2, 6, 6, 1]);
    const w1 = data([3, 3, 1, 4], 0.5) as tf.Tensor4D;
    const w2 = data([3 * 3 * 4, 1], 0.5) as tf.Tensor2D;
    // penalty(w1) = Σ_b (‖∇ₓ D(x_b)‖ − 1)², D = dense(leakyRelu(conv(x, w1, stride 2)))
    const penalty = (filter: tf.Tensor) =>
      tf.tidy(() => {
        const critic = (input: tf.Tensor) =>
          tf.sum(tf.matMul(tf.reshape(tf.leakyRelu(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 2, 'same'), 0.2), [2, -1]), w2));
        const gx = tf.grad(critic)(x);
        const norms = tf.sqrt(tf.sum(tf.square(gx), [1, 2, 3]));
        return tf.sum(tf.square(tf.sub(norms, 1)));
      });
    const analytic = await expectNoLeakedTensors(() => tf.tidy(() => tf.grad(penalty)(w1).dataSync()));
    expect(analytic.every(Number.isFinite)).toBe(true);
    expect(analytic.some((g) => g !== 0)).toBe(true);
    const base = w1.dataSync();
    const h = 1e-3; // small enough that no LeakyReLU input changes sign
    for (const i of [0, 5, 17, 35]) {
      const at = (delta: number) => {
        const shifted = base.slice();
        shifted[i] = shifted[i]! + delta;
        return tf.tidy(() => penalty(tf.tensor4d(shifted, w1.shape)).dataSync()[0]!);
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(analytic[i]! - numeric), `weight ${i}: ${analytic[i]} vs ${numeric}`).toBeLessThan(1e-2 * Math.max(1, Math.abs(numeric)));
    }
    tf.dispose([x, w1, w2]);
  });
});
