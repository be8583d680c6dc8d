import { backend_util, type Conv2DBackpropFilterAttrs, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, isPointwise } from './conv-geometry.js';
import type { FastKernelContext } from './fast-kernel.js';
import { gemm } from './gemm.js';

/** The filter gradient of an NHWC convolution: dW[kh·kw·ci, co] = patches(x)ᵀ · dy[b·oh·ow, co]. */
export function conv2dBackpropFilter(
  { runtime: rt, io }: FastKernelContext,
  inputs: { x: TensorInfo; dy: TensorInfo },
  attrs: NamedAttrMap,
): TensorInfo | undefined {
  const { strides, pad, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const { x, dy } = inputs;
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const geometry = convGeometry(info);
  if (geometry === undefined || x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
  const { rows, patch, outChannels: n } = geometry;
  const pointwise = isPointwise(info);
  const sizes = [x.shape.reduce((a, b) => a * b, 1), rows * n, patch * n, pointwise ? 0 : rows * patch];
  const ptrs = rt.allocate(sizes, n);
  if (ptrs === undefined) return undefined;
  const [xPtr, dyPtr, dwPtr, colsPtr] = ptrs as [number, number, number, number];
  io.copyIn(x, rt.view(xPtr, sizes[0]!));
  io.copyIn(dy, rt.view(dyPtr, sizes[1]!));
  if (!pointwise) rt.run('im2col', [xPtr, colsPtr, ...geometry.im2colArgs, 0, 0], { at: 15, total: rows, align: 1 }, rows * patch);
  gemm(rt, { a: pointwise ? xPtr : colsPtr, b: dyPtr, c: dwPtr, m: patch, n, k: rows, transA: true });
  return io.output([...filterShape], rt.view(dwPtr, patch * n));
}
