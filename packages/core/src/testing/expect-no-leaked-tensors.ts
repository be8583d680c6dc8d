import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` and asserts that the number of live tensors is the same afterwards.
 * Returns what `fn` returned (which must not hold new tensors).
 */
export async function expectNoLeakedTensors<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(`expectNoLeakedTensors: ${after - before} tensor(s) leaked (${before} before, ${after} after)`);
  }
  return result;
}
