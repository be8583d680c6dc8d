import * as tf from '@tensorflow/tfjs-core';
import { generate, generatorInputs, type Gan } from '@dgm/models';

/** `count` samples of one class. */
export function classSamples(gan: Gan, classIndex: number, count = 32): tf.Tensor4D {
  return generate({ gan, count, classes: [classIndex], seed: 5 }).images;
}

/**
 * Eight images of one class at `t` along the straight lines between two fixed sets of
 * latents (t = 0: the first set, t = 1: the second).
 */
export function interpolate(gan: Gan, classIndex: number, t: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [from, to] = [3, 4].map((seed) => tf.randomNormal([8, gan.spec.latentDim], 0, 1, 'float32', seed));
    const z = tf.add(tf.mul(from!, 1 - t), tf.mul(to!, t));
    const labels = tf.fill([8, 1], classIndex, 'int32');
    return gan.generator.predict(generatorInputs(gan.spec, z, labels)) as tf.Tensor4D;
  });
}
