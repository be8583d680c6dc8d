import * as tf from '@tensorflow/tfjs-core';
import { backend_util, type FusedBatchNormAttrs, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';

/**
 * Gradient of FusedBatchNorm, y = (x − μ)·γ/√(σ² + ε) + β, with every full-size term
 * broadcast instead of tiled: tfjs's own gradient materializes a tile of 1/√(σ² + ε) to the
 * shape of x (~50 ms a call on wasm at 64×14×14×64). With r = 1/√(σ² + ε) and Σ over the
 * axes the statistics broadcast along:
 *
 *   ∂x = dy·γr,  ∂μ = −γr·Σdy,  ∂σ² = −½γr³·Σ dy(x − μ),  ∂γ = r·Σ dy(x − μ),  ∂β = Σdy
 */
export const batchNormGradient: GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    const g = dy as Tensor;
    const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
    const axes = backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: Tensor) => tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, mean.shape);
    const r = tf.rsqrt(tf.add(variance, varianceEpsilon));
    const gammaR = scale === undefined ? r : tf.mul(scale, r);
    const sumDy = reduce(g);
    const sumDyXc = reduce(tf.mul(g, tf.sub(x, mean)));
    return {
      x: () => tf.mul(g, gammaR),
      mean: () => tf.neg(tf.mul(gammaR, sumDy)),
      variance: () => tf.mul(tf.mul(gammaR, tf.square(r)), tf.mul(sumDyXc, -0.5)),
      scale: () => tf.mul(r, sumDyXc),
      offset: () => sumDy,
    };
  },
};
