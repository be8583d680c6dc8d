import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, LeakyReluAttrs, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { FastKernelContext } from './fast-kernel.js';
import { elementwise } from './elementwise.js';

/** LeakyRelu's gradient as one kernel: dy where x > 0, α·dy elsewhere (tfjs: Greater, Multiply and Select). */
export const LEAKY_RELU_GRAD = 'DgmLeakyReluGrad';

export function leakyRelu(context: FastKernelContext, inputs: { x: TensorInfo }, attrs: NamedAttrMap): TensorInfo | undefined {
  const { alpha } = attrs as unknown as LeakyReluAttrs;
  return elementwise(context, 'leakyRelu', [inputs.x], 1, (ins, outs) => [...ins, ...outs, alpha, +context.wide])?.[0];
}

export function leakyReluGrad(context: FastKernelContext, inputs: { dy: TensorInfo; x: TensorInfo }, attrs: NamedAttrMap): TensorInfo | undefined {
  const { alpha } = attrs as unknown as LeakyReluAttrs;
  return elementwise(context, 'leakyReluGrad', [inputs.dy, inputs.x], 1, (ins, outs) => [...ins, ...outs, alpha])?.[0];
}

const runGrad = (dy: Tensor, x: Tensor, alpha: number) => tf.engine().runKernel(LEAKY_RELU_GRAD, { dy, x }, { alpha }) as Tensor;
const hasGradKernel = () => tf.getKernel(LEAKY_RELU_GRAD, tf.getBackend()) !== undefined;

/** LeakyRelu's gradient through the one-pass kernel where the backend has it, else as tfjs computes it. */
export const leakyReluGradient: GradConfig = {
  kernelName: tf.LeakyRelu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [g, x] = [dy as Tensor, saved[0]!];
    const { alpha } = attrs as unknown as LeakyReluAttrs;
    return { x: () => (hasGradKernel() ? runGrad(g, x, alpha) : tf.where(tf.greater(x, 0), g, tf.mul(g, alpha))) };
  },
};

/** The kernel's own gradient, for second-order gradients (penalties): linear in dy, flat in x. */
export const leakyReluGradGradient: GradConfig = {
  kernelName: LEAKY_RELU_GRAD,
  inputsToSave: ['x'],
  gradFunc: (ddx, saved, attrs) => {
    const x = saved[0]!;
    const { alpha } = attrs as unknown as LeakyReluAttrs;
    return { dy: () => runGrad(ddx as Tensor, x, alpha), x: () => tf.zerosLike(x) };
  },
};
