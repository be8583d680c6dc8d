import type { AdamUpdateAttrs } from '@dgm/core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { elementwise } from './elementwise.js';
import type { FastKernelContext } from './fast-kernel.js';

/**
 * Adam's update of one variable in one pass (the ops take nine). Every operation is rounded
 * to float32 as the element-wise kernels round it, so the result is the ops' bit for bit.
 */
export function adamUpdate(context: FastKernelContext, inputs: { variable: TensorInfo; m: TensorInfo; v: TensorInfo; gradient: TensorInfo }, attrs: NamedAttrMap): TensorInfo[] | undefined {
  const { beta1, beta2, rate, epsilon } = attrs as unknown as AdamUpdateAttrs;
  const { variable, m, v, gradient } = inputs;
  const constants = [beta1, beta2, 1 - beta1, 1 - beta2, rate, epsilon];
  // Updated in place: the variable, m and v regions hold the results.
  return elementwise(context, 'adamUpdate', [variable, m, v, gradient], 0, (pointers) => [...pointers, ...constants], (pointers) => pointers.slice(0, 3));
}
