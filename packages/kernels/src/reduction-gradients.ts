import * as tf from '@tensorflow/tfjs-core';
import { util, type GradConfig, type NamedAttrMap, type SumAttrs, type Tensor } from '@tensorflow/tfjs-core';

/**
 * Gradients of Sum and Mean that broadcast dy (one Tile) where tfjs's multiply it by a
 * tensor of ones the size of x (Fill, Multiply and, for Mean, RealDiv: three full passes).
 * Same values: dy·1/n is dy/n.
 */
function reductionGradient(kernelName: string, mean: boolean): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const x = saved[0]!;
      const axes = util.parseAxisParam((attrs as unknown as SumAttrs).axis, x.shape);
      const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
      return {
        x: () => {
          const g = tf.reshape(tf.cast(dy as Tensor, 'float32'), expanded);
          return tf.broadcastTo(mean ? tf.div(g, count) : g, x.shape);
        },
      };
    },
  };
}

export const sumGradient = reductionGradient(tf.Sum, false);
export const meanGradient = reductionGradient(tf.Mean, true);
