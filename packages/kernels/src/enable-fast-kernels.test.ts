import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { initBackend, InvalidArgumentError } from '@dgm/core';
import { expectTensorsClose } from '@dgm/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { disableFastKernels, enableFastKernels, fastKernelsStatus } from './enable-fast-kernels.js';

/** d/dw Σ conv2d(x = 1, w) for a 4×4×2 input, 3×3×2×3 filter, stride 2, same padding. */
const filterGradient = () =>
  tf.tidy(() => {
    const x = tf.ones([1, 4, 4, 2]) as tf.Tensor4D;
    return tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(x, w as tf.Tensor4D, 2, 'same')))(tf.zeros([3, 3, 2, 3])).dataSync();
  });

describe('enableFastKernels', () => {
  afterEach(() => disableFastKernels());

  it('registers for the loaded backends, reports it, and disableFastKernels restores the stock kernels', async () => {
    await initBackend({ backend: 'wasm', fastKernels: false });
    expect(() => filterGradient()).toThrow(/Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'/);

    const status = await enableFastKernels();
    expect(status).toMatchObject({ enabled: true, backends: ['wasm', 'cpu'], threads: 2 });
    const products = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'BatchMatMul', '_FusedMatMul'];
    const shared = ['Tile', 'UnsortedSegmentSum', 'Sum', 'Mean', 'LeakyRelu', 'DgmLeakyReluGrad', 'FusedBatchNorm', 'DgmBatchNormGrad', 'DgmAdamUpdate'];
    expect(status.kernels).toEqual({
      wasm: [...products, ...shared, 'Identity'],
      cpu: [...products, ...shared, 'Add', 'Sub', 'Multiply', 'RealDiv', 'Greater', 'Less', 'Select'],
    });
    // Per axis, output rows 0 and 1 read input rows k and 2 + k (padding 0 before, 1 after):
    // taps k = 0, 1, 2 see 2, 2 and 1 pixels of ones.
    const counts = [2, 2, 1];
    const expected = counts.flatMap((a) => counts.flatMap((b) => Array.from({ length: 6 }, () => a * b)));
    expectTensorsClose(filterGradient(), expected);

    disableFastKernels();
    expect(fastKernelsStatus()).toMatchObject({ enabled: false, backends: [], threads: 0 });
    expect(() => filterGradient()).toThrow(/not registered for backend 'wasm'/);
  });

  it('is idempotent and runs single-threaded when asked', async () => {
    await initBackend({ backend: 'cpu', fastKernels: false });
    await enableFastKernels({ threads: 1, backends: ['cpu'] });
    const again = await enableFastKernels({ threads: 1, backends: ['cpu'] });
    expect(again).toMatchObject({ enabled: true, backends: ['cpu'], threads: 1 });
    const y = tf.tidy(() => tf.matMul(tf.ones([70, 30]), tf.ones([30, 50])).dataSync());
    expect(Array.from(new Set(y))).toEqual([30]);
  });

  it('is what initBackend turns on for wasm and cpu', async () => {
    const loaders = { '@dgm/kernels': () => import('./index.js') };
    const result = await initBackend({ backend: 'wasm', loaders });
    expect(result.fastKernels).toEqual({ enabled: true, detail: 'on (2 threads)' });
    expect(fastKernelsStatus().backends).toEqual(['wasm']);
    expect(filterGradient()).toHaveLength(54);
  });

  it('rejects bad options with InvalidArgumentError', async () => {
    for (const options of [{ threads: 0 }, { threads: 1.5 }, { backends: ['webgl'] }]) {
      const error = await enableFastKernels(options as never).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(options)).toBe(true);
    }
    expect(fastKernelsStatus().enabled).toBe(false);
  });
});
