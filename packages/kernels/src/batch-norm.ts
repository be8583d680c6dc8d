import type { FusedBatchNormAttrs, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { FastKernelContext } from './fast-kernel.js';
import { passWork } from './elementwise.js';

/**
 * Batch norm's forward pass and the sums of its gradient, each one pass over x, for
 * per-channel statistics on the last axis (NHWC; the rest goes to the stock kernel or ops).
 */
export const BATCH_NORM_GRAD = 'DgmBatchNormGrad';

interface Inputs {
  x: TensorInfo;
  mean: TensorInfo;
  variance: TensorInfo;
  scale?: TensorInfo | undefined;
  offset?: TensorInfo | undefined;
}

/** Whether every per-channel input holds one float32 value per channel of x's last axis. */
export function perChannel(x: TensorInfo, perChannelInputs: readonly (TensorInfo | undefined)[]): boolean {
  const channels = x.shape.at(-1) ?? 0;
  const size = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);
  return (
    x.dtype === 'float32' &&
    x.shape.length > 0 &&
    perChannelInputs.every((t) => t === undefined || (t.dtype === 'float32' && size(t) === channels && t.shape.slice(0, -1).every((d) => d === 1)))
  );
}

/** Per-channel values as float64, or `fill` where the input is absent. */
function channelValues({ io }: FastKernelContext, t: TensorInfo | undefined, c: number, fill: number): Float64Array {
  const values = new Float32Array(c).fill(fill);
  if (t !== undefined) io.copyIn(t, values);
  return Float64Array.from(values);
}

/**
 * y = β + (x − μ)·γ / √(σ² + ε), in float64 and rounded once: the cpu backend's values bit for
 * bit (the wasm backend's, in float32 operations, differ by a rounding or two).
 */
export function batchNorm(context: FastKernelContext, inputs: Inputs, attrs: NamedAttrMap): TensorInfo | undefined {
  const { x, mean, variance, scale, offset } = inputs;
  if (!perChannel(x, [mean, variance, scale, offset])) return undefined;
  const { runtime, io } = context;
  const c = x.shape.at(-1)!;
  const size = x.shape.reduce((a, b) => a * b, 1);
  const pointers = runtime.allocate([size, size, 8 * c]);
  if (pointers === undefined) return undefined;
  const [px, py, pChannels] = pointers as [number, number, number];
  io.copyIn(x, runtime.view(px, size));
  const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
  const sd = channelValues(context, variance, c, 0).map((v) => Math.sqrt(v + varianceEpsilon));
  const channels = runtime.view64(pChannels, 4 * c);
  [channelValues(context, mean, c, 0), channelValues(context, scale, c, 1), sd, channelValues(context, offset, c, 0)].forEach((v, i) => channels.set(v, i * c));
  const rows = size / c;
  runtime.run('batchNorm', [px, py, pChannels, c, 0, rows], { at: 4, total: rows, align: 1 }, passWork(size));
  return io.output([...x.shape], runtime.view(py, size));
}

/**
 * tfjs's gradient of y = batchNorm(x) in one pass: [∂x, ∂μ, ∂σ², ∂γ, ∂β], each term rounded
 * as its float32 ops round it and the sums accumulated in float64 in the order of the cpu
 * backend's Sum: on cpu, the stock gradient's values bit for bit.
 */
export function batchNormGrad(context: FastKernelContext, inputs: Inputs & { dy: TensorInfo }, attrs: NamedAttrMap): TensorInfo[] | undefined {
  const { dy, x } = inputs;
  if (!perChannel(x, [inputs.mean, inputs.variance, inputs.scale]) || dy.dtype !== 'float32' || dy.shape.join() !== x.shape.join()) return undefined;
  const { runtime, io } = context;
  const c = x.shape.at(-1)!;
  const size = x.shape.reduce((a, b) => a * b, 1);
  const pointers = runtime.allocate([size, size, size, 4 * c, 8 * c]);
  if (pointers === undefined) return undefined;
  const [pdy, px, pdx, pChannels, pSums] = pointers as [number, number, number, number, number];
  io.copyIn(dy, runtime.view(pdy, size));
  io.copyIn(x, runtime.view(px, size));
  // As the ops: ε a float32 scalar, r = rsqrt(σ² + ε), h = ((r·r)·r)·−½.
  const epsilon = Math.fround((attrs as unknown as FusedBatchNormAttrs).varianceEpsilon);
  const r = channelValues(context, inputs.variance, c, 0).map((v) => Math.fround(1 / Math.sqrt(Math.fround(v + epsilon))));
  const h = r.map((ri) => Math.fround(Math.fround(Math.fround(ri * ri) * ri) * -0.5));
  const channels = runtime.view(pChannels, 4 * c);
  [channelValues(context, inputs.mean, c, 0), r, h, channelValues(context, inputs.scale, c, 1)].forEach((v, i) => channels.set(v, i * c));
  runtime.run('batchNormGrad', [pdy, px, pdx, pChannels, pSums, size / c, c, 0, c], { at: 7, total: c, align: 4 }, passWork(size));
  const sums = Float32Array.from(runtime.view64(pSums, 4 * c));
  return [io.output([...x.shape], runtime.view(pdx, size)), ...[0, 1, 2, 3].map((t) => io.output([c], sums.subarray(t * c, (t + 1) * c)))];
}
