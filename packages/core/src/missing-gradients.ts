import * as tf from '@tensorflow/tfjs-core';
import { getGradient, registerGradient, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';

/**
 * Comparisons are piecewise constant, so their gradient is zero. tfjs registers none,
 * which breaks second-order gradients through LeakyReLU (its gradient uses Greater):
 * WGAN-GP and R1 penalties fail with "gradient function not found for Greater".
 */
const comparisons = [tf.Greater, tf.GreaterEqual, tf.Less, tf.LessEqual, tf.Equal, tf.NotEqual];

function zeroGradient(kernelName: string): GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy: Tensor | Tensor[], saved: Tensor[]) => {
      const [a, b] = saved as [Tensor, Tensor];
      return { a: () => tf.zeros(a.shape), b: () => tf.zeros(b.shape) };
    },
  };
}

/**
 * Registers the gradients tfjs lacks that dgm's training needs: a zero gradient for each
 * comparison kernel that has none. Global for this tfjs-core, idempotent, and needed on every
 * backend for gradient penalties (WGAN-GP, R1). The one place where dgm adds gradients.
 */
export function registerMissingGradients(): void {
  for (const name of comparisons) {
    if (getGradient(name) === undefined) registerGradient(zeroGradient(name));
  }
}
