import { backend_util, type Conv2DBackpropInputAttrs, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry } from './conv-geometry.js';
import type { FastKernelContext } from './fast-kernel.js';
import { gemm } from './gemm.js';

/**
 * The input gradient of an NHWC convolution (the transposed convolution):
 * patches[b·oh·ow, kh·kw·ci] = dy[b·oh·ow, co] · w[kh·kw·ci, co]ᵀ, summed back into
 * image positions (col2im). Only the products that exist are computed: no zeros are
 * inserted between the pixels of dy.
 */
export function conv2dBackpropInput(
  { runtime: rt, io }: FastKernelContext,
  inputs: { dy: TensorInfo; filter: TensorInfo },
  attrs: NamedAttrMap,
): TensorInfo | undefined {
  const { strides, pad, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  const { dy, filter } = inputs;
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const geometry = convGeometry(info);
  if (geometry === undefined || dy.dtype !== 'float32' || filter.dtype !== 'float32') return undefined;
  const { rows, patch, outChannels: co, batch } = geometry;
  const dxSize = inputShape.reduce((a, b) => a * b, 1);
  const sizes = [rows * co, patch * co, rows * patch, dxSize];
  const ptrs = rt.allocate(sizes, patch);
  if (ptrs === undefined) return undefined;
  const [dyPtr, wPtr, colsPtr, dxPtr] = ptrs as [number, number, number, number];
  io.copyIn(dy, rt.view(dyPtr, sizes[0]!));
  io.copyIn(filter, rt.view(wPtr, sizes[1]!));
  gemm(rt, { a: dyPtr, b: wPtr, c: colsPtr, m: rows, n: patch, k: co, transB: true });
  rt.run('col2im', [colsPtr, dxPtr, ...geometry.im2colArgs, 0, 0], { at: 15, total: batch, align: 1 }, rows * patch);
  return io.output([...inputShape], rt.view(dxPtr, dxSize));
}
