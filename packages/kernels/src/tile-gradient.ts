import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor, TileAttrs } from '@tensorflow/tfjs-core';

/**
 * Gradient of Tile as one reshape and one sum: the copies of x in dy are blocks, so with dy
 * seen as [reps₀, d₀, reps₁, d₁, …] the gradient is its sum over the reps axes. tfjs's own
 * adds one slice per copy (3,136 slices for tfjs-layers' LayerNormalization at 64×7×7×128,
 * which tiles its statistics, ~1 s a call).
 */
export const tileGradient: GradConfig = {
  kernelName: tf.Tile,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const { reps } = attrs as unknown as TileAttrs;
    return {
      x: () => {
        const shape: number[] = [];
        const axes: number[] = [];
        x.shape.forEach((d, i) => {
          const r = reps[i]!;
          if (r > 1) {
            axes.push(shape.length);
            shape.push(r);
          }
          if (d > 1 || r === 1) shape.push(d);
        });
        const blocks = tf.reshape(dy as Tensor, shape);
        return tf.reshape(axes.length > 0 ? tf.sum(blocks, axes) : blocks, x.shape);
      },
    };
  },
};
