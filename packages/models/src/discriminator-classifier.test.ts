import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAcgan } from './acgan.js';
import { createDcgan } from './dcgan.js';
import { discriminatorClassifier } from './discriminator-classifier.js';
import { createSemiSupervisedGan } from './semi-supervised-gan.js';
import type { Gan } from './spec.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dispose = (gan: Gan) => [gan.generator, gan.discriminator].forEach((m) => m.dispose());
const images = () => tf.randomUniform([5, 28, 28, 1], -1, 1, 'float32', 3) as tf.Tensor4D;

describe('discriminatorClassifier', () => {
  it.each([
    ['ssgan-conv', () => createSemiSupervisedGan({ variant: 'conv', imageShape: [28, 28, 1], numClasses: 4, generatorFilters: 4, discriminatorFilters: 4 }), 0],
    ['acgan', () => createAcgan({ imageShape: [28, 28, 1], numClasses: 4, generatorFilters: 4, discriminatorFilters: 4 }), 1],
  ] as const)('%s: the softmax of D’s class logits, sharing D’s weights, leaking nothing', (_name, create, output) => {
    const gan = create();
    const classifier = discriminatorClassifier({ gan });
    const x = images();
    const before = tf.memory().numTensors;
    const [got, expected] = tf.tidy(() => {
      const logits = [gan.discriminator.predict(x) as tf.Tensor | tf.Tensor[]].flat()[output]!;
      return [(classifier.predict(x) as tf.Tensor).arraySync() as number[][], tf.softmax(logits).arraySync() as number[][]];
    });
    expect(tf.memory().numTensors).toBe(before);
    got.forEach((row, i) => row.forEach((p, k) => expect(p).toBeCloseTo(expected[i]![k]!, 6)));
    expect(classifier.outputs[0]!.shape).toEqual([null, 4]);
    // Shared weights: a change to D's class head shows in the classifier.
    const head = gan.discriminator.getLayer('classes');
    head.setWeights(head.getWeights().map((w) => tf.mul(w, 2)));
    const after = tf.tidy(() => (classifier.predict(x) as tf.Tensor).arraySync() as number[][]);
    expect(after).not.toEqual(got);
    // Disposing the classifier leaves D usable.
    classifier.dispose();
    tf.tidy(() => gan.discriminator.predict(x));
    x.dispose();
    dispose(gan);
  });

  it('reads another D of the same topology (an averaged one) when given', () => {
    const gan = createSemiSupervisedGan({ variant: 'conv', imageShape: [28, 28, 1], numClasses: 3, generatorFilters: 4, discriminatorFilters: 4, seed: 1 });
    const other = createSemiSupervisedGan({ variant: 'conv', imageShape: [28, 28, 1], numClasses: 3, generatorFilters: 4, discriminatorFilters: 4, seed: 2 });
    const x = images();
    const [fromOther, expected] = tf.tidy(() => {
      const classifier = discriminatorClassifier({ gan, discriminator: other.discriminator });
      const logits = (other.discriminator.predict(x) as tf.Tensor[])[0]!;
      return [(classifier.predict(x) as tf.Tensor).arraySync() as number[][], tf.softmax(logits).arraySync() as number[][]];
    });
    fromOther.forEach((row, i) => row.forEach((p, k) => expect(p).toBeCloseTo(expected[i]![k]!, 6)));
    x.dispose();
    dispose(gan);
    dispose(other);
  });

  it('refuses a D without class logits, a D of another topology and bad options, with typed errors', () => {
    const dcgan = createDcgan({ imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4 });
    const ssgan = createSemiSupervisedGan({ variant: 'conv', imageShape: [28, 28, 1], numClasses: 3, generatorFilters: 4, discriminatorFilters: 4 });
    const before = tf.memory().numTensors;
    expect(() => discriminatorClassifier({ gan: dcgan })).toThrow(InvalidArgumentError);
    expect(() => discriminatorClassifier({ gan: dcgan })).toThrow(/"dcgan" D has no class logits/);
    expect(() => discriminatorClassifier({ gan: ssgan, discriminator: dcgan.discriminator })).toThrow(ShapeMismatchError);
    expect(() => discriminatorClassifier({ gan: ssgan, extra: 1 } as never)).toThrow(/extra/);
    expect(() => discriminatorClassifier({} as never)).toThrow(InvalidArgumentError);
    expect(tf.memory().numTensors).toBe(before);
    dispose(dcgan);
    dispose(ssgan);
  });
});
