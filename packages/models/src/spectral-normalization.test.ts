import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import { createDcgan } from './dcgan.js';
import { SpectralNormalized } from './spectral-normalization.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };

/** The largest singular value of a rows×cols matrix, by 500 power iterations in float64. */
function largestSingularValue(values: ArrayLike<number>, rows: number, cols: number): number {
  let v = Array.from({ length: cols }, (_, i) => 1 + i / cols);
  let sigma = 0;
  for (let it = 0; it < 500; it++) {
    const u = Array.from({ length: rows }, (_, r) => v.reduce((s, vc, c) => s + values[r * cols + c]! * vc, 0));
    const w = Array.from({ length: cols }, (_, c) => u.reduce((s, ur, r) => s + values[r * cols + c]! * ur, 0));
    sigma = Math.sqrt(Math.hypot(...w));
    const norm = Math.hypot(...w);
    v = w.map((x) => x / norm);
  }
  return sigma;
}

describeWithBackends(
  'spectral normalization',
  () => {
    it('divides the kernel by its largest singular value, estimated across training calls', async () => {
      const layer = new SpectralNormalized({ units: 6, kernelSize: 3, strides: 2, padding: 'same', seed: 1 });
      const input = tfl.input({ shape: [8, 8, 4] });
      const model = tfl.model({ inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor });
      const x = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 2);
      await expectNoLeakedTensors(() => {
        for (let i = 0; i < 30; i++) tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
      });
      const [kernel, bias] = [layer.getWeights()[0]!, layer.getWeights()[1]!];
      const sigma = largestSingularValue(kernel.dataSync(), 3 * 3 * 4, 6);
      tf.tidy(() => {
        // Inference uses the estimate without updating it: W / σ̂ with σ̂ ≈ σ after 30 iterations.
        const y = model.apply(x, { training: false }) as tf.Tensor;
        const expected = tf.add(tf.conv2d(x as tf.Tensor4D, tf.div(kernel, sigma) as tf.Tensor4D, 2, 'same'), bias);
        expectTensorsClose(y, expected, { rtol: 1e-3, atol: 1e-4 });
        // The normalized kernel has spectral norm 1.
        const normalized = tf.div(kernel, sigma).dataSync();
        expect(largestSingularValue(normalized, 36, 6)).toBeCloseTo(1, 5);
      });
      // u is saved with the layer but not trained.
      expect(layer.trainableWeights.map((w) => w.name.split('/').at(-1))).toEqual(['kernel', 'bias']);
      expect(layer.nonTrainableWeights.map((w) => w.name.split('/').at(-1))).toEqual(['u']);
      x.dispose();
      model.dispose();
    });

    it('a DCGAN discriminator with spectral normalization trains every layer', () => {
      const gan = createDcgan({ imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4, spectralNormalization: true, discriminatorNormalization: 'none' });
      expect(gan.discriminator.layers.filter((l) => l instanceof SpectralNormalized)).toHaveLength(3);
      tf.tidy(() => {
        const images = tf.randomUniform([3, 28, 28, 1], -1, 1, 'float32', 3);
        const variables = gan.discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => tf.mean(gan.discriminator.apply(images, { training: true }) as tf.Tensor) as tf.Scalar, variables);
        for (const v of variables) expect(grads[v.name]!.dataSync().some((g) => g !== 0), v.name).toBe(true);
      });
      gan.generator.dispose();
      gan.discriminator.dispose();
    });
  },
  { init },
);
