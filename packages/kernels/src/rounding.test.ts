import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createRandom, initBackend } from '@dgm/core';
import { expectNoLeakedTensors, expectTensorsClose } from '@dgm/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableFastKernels, enableFastKernels } from './enable-fast-kernels.js';

// Training amplifies a rounding that differs from the ops' in every step (a float64 product
// before a sum drifted a DCGAN's losses to 1e-4 in 200 steps): the element-wise kernels must
// round as their backend's stock kernels and ops do, bit for bit. (Batch norm's forward pass
// rounds once, from float64, as cpu's does: wasm's compiled float32 arithmetic differs from
// that by a rounding or two.)
type Outputs = Record<string, Float32Array>;

function compute(backend: 'cpu' | 'wasm'): Outputs {
  const random = createRandom({ seed: 17 });
  const data = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal()), shape);
  return tf.tidy(() => {
    const x = data([16, 5, 5, 12]);
    const [mean, variance, scale, offset] = [data([12]), tf.add(tf.abs(data([12])), 0.1), data([12]), data([12])];
    const out: Outputs = {
      leakyRelu: tf.leakyRelu(x, 0.2).dataSync() as Float32Array,
      'leakyRelu gradient': tf.grad((t: tf.Tensor) => tf.leakyRelu(t, 0.2))(x, data(x.shape)).dataSync() as Float32Array,
      batchNorm: tf.batchNorm(x, mean, variance, offset, scale, 1e-3).dataSync() as Float32Array,
    };
    if (backend === 'cpu') {
      // Through batch statistics, as tfjs-layers trains: ∂x, ∂γ and ∂β from the fused pass.
      const weights = data(x.shape);
      const loss = (input: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
        const moments = tf.moments(input, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(input, moments.mean, moments.variance, beta, gamma, 1e-3), weights));
      };
      tf.grads(loss)([x, scale, offset]).forEach((g, i) => (out[`batch-norm gradient ${i}`] = g.dataSync() as Float32Array));
    }
    return out;
  });
}

const stock: Partial<Record<'cpu' | 'wasm', Outputs>> = {};

beforeAll(async () => {
  disableFastKernels();
  for (const backend of ['cpu', 'wasm'] as const) {
    await initBackend({ backend, fastKernels: false });
    stock[backend] = compute(backend);
  }
  await enableFastKernels({ threads: 2 });
});
afterAll(() => disableFastKernels());

describe.each(['cpu', 'wasm'] as const)('on %s', (backend) => {
  it('LeakyReLU, its gradient and batch norm (forward, and its gradient through batch statistics) round as the stock kernels do', async () => {
    await initBackend({ backend });
    const fast = await expectNoLeakedTensors(() => compute(backend));
    expect(Object.keys(fast)).toEqual(Object.keys(stock[backend]!));
    for (const [name, values] of Object.entries(fast)) {
      if (backend === 'wasm' && name === 'batchNorm') expectTensorsClose(values, stock.wasm![name]!, { rtol: 1e-6, atol: 1e-6 });
      else expect(values, name).toEqual(stock[backend]![name]);
    }
  });
});
