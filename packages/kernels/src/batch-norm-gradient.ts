import * as tf from '@tensorflow/tfjs-core';
import { backend_util, type FusedBatchNormAttrs, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { BATCH_NORM_GRAD, perChannel } from './batch-norm.js';

/**
 * Gradient of FusedBatchNorm, y = (x − μ)·γ/√(σ² + ε) + β: from one kernel pass where the
 * backend has `DgmBatchNormGrad` and no outer gradient records this one (the same values as
 * tfjs's gradient), otherwise from ops that broadcast where tfjs's own gradient tiles
 * 1/√(σ² + ε) to the shape of x (~50 ms a call on wasm at 64×14×14×64). With r = 1/√(σ² + ε)
 * and Σ over the axes the statistics broadcast along:
 *
 *   ∂x = dy·γr,  ∂μ = −γr·Σdy,  ∂σ² = −½γr³·Σ dy(x − μ),  ∂γ = r·Σ dy(x − μ),  ∂β = Σdy
 */
export const batchNormGradient: GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    const fused = fusedGradient(dy as Tensor, x, mean, variance, scale, attrs);
    if (fused !== undefined) {
      const [dx, dMean, dVariance, dScale, dOffset] = fused as [Tensor, Tensor, Tensor, Tensor, Tensor];
      return { x: () => dx, mean: () => dMean, variance: () => dVariance, scale: () => dScale, offset: () => dOffset };
    }
    return opGradient(dy as Tensor, x, mean, variance, scale, attrs);
  },
};

function fusedGradient(dy: Tensor, x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor | undefined, attrs: NamedAttrMap): Tensor[] | undefined {
  // The kernel has no gradient of its own: second-order gradients take the ops.
  if (tf.engine().state.gradientDepth > 0 || tf.getKernel(BATCH_NORM_GRAD, tf.getBackend()) === undefined) return undefined;
  if (!perChannel(x, [mean, variance, scale]) || dy.dtype !== 'float32') return undefined;
  const inputs = scale === undefined ? { dy, x, mean, variance } : { dy, x, mean, variance, scale };
  const [dx, ...perChannelResults] = tf.engine().runKernel(BATCH_NORM_GRAD, inputs, attrs) as [Tensor, ...Tensor[]];
  return [dx, ...perChannelResults.map((t) => tf.reshape(t, mean.shape))];
}

function opGradient(dy: Tensor, x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor | undefined, attrs: NamedAttrMap) {
  const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
  const axes = backend_util.getReductionAxes(mean.shape, x.shape);
  const reduce = (t: Tensor) => tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, mean.shape);
  const r = tf.rsqrt(tf.add(variance, varianceEpsilon));
  const gammaR = scale === undefined ? r : tf.mul(scale, r);
  const sumDy = reduce(dy);
  const sumDyXc = reduce(tf.mul(dy, tf.sub(x, mean)));
  return {
    x: () => tf.mul(dy, gammaR),
    mean: () => tf.neg(tf.mul(gammaR, sumDy)),
    variance: () => tf.mul(tf.mul(gammaR, tf.square(r)), tf.mul(sumDyXc, -0.5)),
    scale: () => tf.mul(r, sumDyXc),
    offset: () => sumDy,
  };
}
