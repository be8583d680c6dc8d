import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InvalidArgumentError } from '@dgm/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifierLayers, createClassifier } from './classifier.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createClassifier', () => {
  it('maps images to class probabilities through 4f pooled features, reproducibly from its seed, leaking nothing', () => {
    const model = createClassifier({ imageShape: [28, 28, 1], numClasses: 7, filters: 4, seed: 2 });
    expect(model.getLayer(classifierLayers.features).outputShape).toEqual([null, 16]);
    expect(model.getLayer(classifierLayers.logits).outputShape).toEqual([null, 7]);
    const before = tf.memory().numTensors;
    const sums = tf.tidy(() => tf.sum(model.predict(tf.randomUniform([3, 28, 28, 1], -1, 1, 'float32', 1)) as tf.Tensor, 1).arraySync() as number[]);
    sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    expect(tf.memory().numTensors).toBe(before);
    const weights = (seed: number) => {
      const m = createClassifier({ imageShape: [28, 28, 1], filters: 4, seed });
      const values = m.getWeights().map((w) => Array.from(w.dataSync()));
      m.dispose();
      return values;
    };
    expect(weights(3)).toEqual(weights(3));
    expect(weights(4)).not.toEqual(weights(3));
    model.dispose();
  });

  it('rejects bad options with InvalidArgumentError', () => {
    for (const [options, message] of [
      [{ imageShape: [30, 30, 3] }, /imageShape must be one of/],
      [{ imageShape: [28, 28, 1], numClasses: 0 }, /numClasses must be a positive integer/],
      [{ imageShape: [28, 28, 1], batchNormMomentum: 1 }, /batchNormMomentum must be in \[0, 1\)/],
      [{ imageShape: [28, 28, 1], seed: -1 }, /seed must be a non-negative integer/],
    ] as const) {
      expect(() => createClassifier(options as never), JSON.stringify(options)).toThrow(message);
      expect(() => createClassifier(options as never)).toThrow(InvalidArgumentError);
    }
  });
});
