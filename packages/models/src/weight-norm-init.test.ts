import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSemiSupervisedGan } from './semi-supervised-gan.js';
import { initializeWeightNorm } from './weight-norm-init.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Per-unit mean and standard deviation over the batch. */
function moments(t: tf.Tensor): { mean: number[]; std: number[] } {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(t, 0);
    return { mean: Array.from(mean.dataSync()), std: Array.from(tf.sqrt(variance).dataSync()) };
  });
}

describe('initializeWeightNorm', () => {
  it("gives every weight-normalized layer of the semi-supervised D pre-activations of mean 0 and std 1 on the batch, in order, leaking nothing", () => {
    const gan = createSemiSupervisedGan({ variant: 'mlp', imageShape: [28, 28, 1], seed: 3 });
    const images = tf.randomUniform([64, 28, 28, 1], -1, 1, 'float32', 5);
    const logits = () => (gan.discriminator.predict(images) as tf.Tensor[])[0]!;
    const before = tf.tidy(() => moments(logits()));
    // Fresh weights: the class logits are far from standardized.
    expect(Math.max(...before.std.map((s) => Math.abs(s - 1)))).toBeGreaterThan(0.1);
    const tensors = tf.memory().numTensors;
    expect(initializeWeightNorm({ model: gan.discriminator, images })).toBe(6);
    expect(tf.memory().numTensors).toBe(tensors);
    // The last layer ('classes', linear) sees inputs of the already-initialized layers before it.
    const after = tf.tidy(() => moments(logits()));
    after.mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-4));
    after.std.forEach((s) => expect(s).toBeCloseTo(1, 3));
    // Still a working model whose weights are its own.
    expect(gan.discriminator.getLayer('classes').getWeights()).toHaveLength(3);
    images.dispose();
    [gan.generator, gan.discriminator].forEach((m) => m.dispose());
  });

  it('does nothing to a model without weight-normalized layers, and refuses bad input with typed errors', () => {
    const input = tfl.input({ shape: [4] });
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor });
    const x = tf.ones([3, 4]);
    expect(initializeWeightNorm({ model, images: x })).toBe(0);
    expect(() => initializeWeightNorm({ model, images: tf.ones([3, 5]) })).toThrow(ShapeMismatchError);
    expect(() => initializeWeightNorm({ model: {} as never, images: x })).toThrow(InvalidArgumentError);
    expect(() => initializeWeightNorm({ model, images: [1, 2] as never })).toThrow(InvalidArgumentError);
    x.dispose();
    model.dispose();
  });
});
