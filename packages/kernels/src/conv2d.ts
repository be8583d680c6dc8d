import { backend_util, type Conv2DAttrs, type FusedConv2DAttrs, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, isPointwise } from './conv-geometry.js';
import { epilogue } from './epilogue.js';
import { gemm } from './gemm.js';
import type { FastKernelContext } from './fast-kernel.js';

/**
 * Conv2D and FusedConv2D (NHWC) as patch extraction + one matrix product:
 * y[b·oh·ow, co] = patches(x)[b·oh·ow, kh·kw·ci] · w[kh·kw·ci, co], then bias and activation.
 */
export function conv2d(
  { runtime: rt, io }: FastKernelContext,
  inputs: { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo },
  attrs: NamedAttrMap,
): TensorInfo | undefined {
  const { strides, pad, dilations, dimRoundingMode, activation, leakyreluAlpha } = attrs as unknown as FusedConv2DAttrs &
    Conv2DAttrs;
  const { x, filter } = inputs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
  );
  const geometry = convGeometry(info);
  const post = epilogue(info.outChannels, inputs.bias, activation, leakyreluAlpha);
  if (geometry === undefined || post === undefined || x.dtype !== 'float32') return undefined;
  const { rows, patch, outChannels: n } = geometry;
  const pointwise = isPointwise(info);
  const sizes = [x.shape.reduce((a, b) => a * b, 1), patch * n, n, rows * n, pointwise ? 0 : rows * patch];
  const ptrs = rt.allocate(sizes, n);
  if (ptrs === undefined) return undefined;
  const [xPtr, wPtr, biasPtr, yPtr, colsPtr] = ptrs as [number, number, number, number, number];
  io.copyIn(x, rt.view(xPtr, sizes[0]!));
  io.copyIn(filter, rt.view(wPtr, sizes[1]!));
  if (post.bias !== undefined) io.copyIn(post.bias, rt.view(biasPtr, n));

  const a = pointwise ? xPtr : colsPtr;
  if (!pointwise) rt.run('im2col', [xPtr, colsPtr, ...geometry.im2colArgs, 0, 0], { at: 15, total: rows, align: 1 }, rows * patch);
  gemm(rt, { a, b: wPtr, c: yPtr, m: rows, n, k: patch });
  if (post.bias !== undefined || post.code !== 0) {
    rt.run('biasActivation', [yPtr, post.bias === undefined ? 0 : biasPtr, n, post.code, post.alpha, 0, 0], { at: 5, total: rows, align: 1 }, rows * n);
  }
  return io.output([geometry.batch, geometry.outHeight, geometry.outWidth, n], rt.view(yPtr, rows * n));
}
