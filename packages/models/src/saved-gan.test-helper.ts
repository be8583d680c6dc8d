import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { Gan } from './spec.js';

export const weightValues = (model: { getWeights(): tf.Tensor[] }) => model.getWeights().map((w) => Array.from(w.dataSync()));

/** Each load gives `gan`'s spec and weights, and leaves no tensor behind once disposed; then `gan` is disposed. */
export async function expectLoadsOf(gan: Gan, loads: readonly (() => Promise<Gan>)[]): Promise<void> {
  const before = tf.memory().numTensors;
  for (const load of loads) {
    const loaded = await load();
    expect(loaded.spec).toEqual(gan.spec);
    expect(weightValues(loaded.generator)).toEqual(weightValues(gan.generator));
    expect(weightValues(loaded.discriminator)).toEqual(weightValues(gan.discriminator));
    loaded.generator.dispose();
    loaded.discriminator.dispose();
  }
  expect(tf.memory().numTensors).toBe(before);
  gan.generator.dispose();
  gan.discriminator.dispose();
}
