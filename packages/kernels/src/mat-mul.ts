import type { NamedAttrMap, TensorInfo, _FusedMatMulAttrs } from '@tensorflow/tfjs-core';
import { epilogue } from './epilogue.js';
import type { FastKernelContext } from './fast-kernel.js';
import { gemm } from './gemm.js';

/**
 * BatchMatMul and _FusedMatMul: one matrix product per batch entry (a batch of 1 on
 * either side broadcasts), transposes handled while packing, then bias and activation.
 */
export function matMul(
  { runtime: rt, io }: FastKernelContext,
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo },
  attrs: NamedAttrMap,
): TensorInfo | undefined {
  const { transposeA = false, transposeB = false, activation, leakyreluAlpha } = attrs as unknown as Partial<_FusedMatMulAttrs>;
  const { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const [m, k] = transposeA ? [a.shape.at(-1)!, a.shape.at(-2)!] : [a.shape.at(-2)!, a.shape.at(-1)!];
  const [kb, n] = transposeB ? [b.shape.at(-1)!, b.shape.at(-2)!] : [b.shape.at(-2)!, b.shape.at(-1)!];
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = outerA.reduce((x, y) => x * y, 1);
  const batchB = outerB.reduce((x, y) => x * y, 1);
  const post = epilogue(n, inputs.bias, activation, leakyreluAlpha);
  if (k !== kb || post === undefined) return undefined;
  // Broadcasting of a batch of 1 only; other broadcasts go to the stock kernel.
  const outer = batchA >= batchB ? outerA : outerB;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  if (batchA === batchB && outerA.join() !== outerB.join()) return undefined;
  const batch = Math.max(batchA, batchB);

  const sizes = [batchA * m * k, batchB * k * n, batch * m * n, n];
  const ptrs = rt.allocate(sizes, n);
  if (ptrs === undefined) return undefined;
  const [aPtr, bPtr, cPtr, biasPtr] = ptrs as [number, number, number, number];
  io.copyIn(a, rt.view(aPtr, sizes[0]!));
  io.copyIn(b, rt.view(bPtr, sizes[1]!));
  if (post.bias !== undefined) io.copyIn(post.bias, rt.view(biasPtr, n));
  for (let i = 0; i < batch; i++) {
    gemm(rt, {
      a: aPtr + (batchA === 1 ? 0 : i * m * k * 4),
      b: bPtr + (batchB === 1 ? 0 : i * k * n * 4),
      c: cPtr + i * m * n * 4,
      m,
      n,
      k,
      transA: transposeA,
      transB: transposeB,
    });
  }
  if (post.bias !== undefined || post.code !== 0) {
    const rows = batch * m;
    rt.run('biasActivation', [cPtr, post.bias === undefined ? 0 : biasPtr, n, post.code, post.alpha, 0, 0], { at: 5, total: rows, align: 1 }, rows * n);
  }
  return io.output([...outer, m, n], rt.view(cPtr, batch * m * n));
}
