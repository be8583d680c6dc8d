import { util, type KernelBackend, type NamedAttrMap, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Sum and Mean of float32 tensors over one contiguous run of axes, for the cpu backend,
 * whose stock kernels first transpose the reduced axes to the end (batch-norm statistics
 * and broadcast gradients reduce the leading axes: ~50 ms a call at 64×14×14×64).
 * Accumulates in float64, like the stock kernels.
 */
export function cpuReduce(mean: boolean, backend: KernelBackend, inputs: { x: TensorInfo }, attrs: NamedAttrMap): TensorInfo | undefined {
  const { x } = inputs;
  const { axis, keepDims } = attrs as unknown as SumAttrs;
  if (x.dtype !== 'float32') return undefined;
  const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  if (axes.some((a, i) => i > 0 && a !== axes[i - 1]! + 1)) return undefined;
  const lo = axes[0] ?? 0;
  const hi = axes.length === 0 ? 0 : axes.at(-1)! + 1;
  const outer = x.shape.slice(0, lo).reduce((p, q) => p * q, 1);
  const count = x.shape.slice(lo, hi).reduce((p, q) => p * q, 1);
  const inner = x.shape.slice(hi).reduce((p, q) => p * q, 1);
  const values = backend.readSync(x.dataId) as Float32Array;
  const out = new Float32Array(outer * inner);
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let r = 0; r < count; r++) {
      const base = (o * count + r) * inner;
      for (let j = 0; j < inner; j++) acc[j]! += values[base + j]!;
    }
    for (let j = 0; j < inner; j++) out[o * inner + j] = mean ? acc[j]! / count : acc[j]!;
  }
  const shape = keepDims ? x.shape.map((d, i) => (i >= lo && i < hi ? 1 : d)) : [...x.shape.slice(0, lo), ...x.shape.slice(hi)];
  return { dataId: backend.write(out, shape, 'float32'), shape, dtype: 'float32' };
}
