import type { KernelBackend, NamedAttrMap, TensorInfo, TileAttrs } from '@tensorflow/tfjs-core';
import type { TensorIO } from './tensor-io.js';

/**
 * Tile by copying whole rows of the last axis (the stock wasm and cpu kernels map every
 * element's index: ~50 ms for 64×14×14×64 on wasm). tfjs-layers' LayerNormalization tiles
 * its statistics on every call.
 */
export function tile(backend: KernelBackend, io: TensorIO, inputs: { x: TensorInfo }, attrs: NamedAttrMap): TensorInfo | undefined {
  const { x } = inputs;
  const { reps } = attrs as unknown as TileAttrs;
  if ((x.dtype !== 'float32' && x.dtype !== 'int32') || x.shape.length === 0) return undefined;
  if (x.dtype === 'float32' && repeatsWhole(x.shape, reps)) return repeatWhole(io, x, reps);
  const values = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const inShape = x.shape;
  const rank = inShape.length;
  const outShape = inShape.map((d, i) => d * reps[i]!);
  const last = inShape[rank - 1]!;
  const size = outShape.reduce((a, b) => a * b, 1);
  const out = x.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  const strides = inShape.map((_, i) => inShape.slice(i + 1).reduce((a, b) => a * b, 1));
  const index = new Array<number>(Math.max(0, rank - 1)).fill(0);
  for (let at = 0; at < size; at += last * reps[rank - 1]!) {
    let source = 0;
    for (let i = 0; i < rank - 1; i++) source += (index[i]! % inShape[i]!) * strides[i]!;
    if (last === 1) {
      out.fill(values[source]!, at, at + reps[rank - 1]!);
    } else {
      const row = values.subarray(source, source + last);
      for (let k = 0; k < reps[rank - 1]!; k++) out.set(row, at + k * last);
    }
    for (let i = rank - 2; i >= 0 && ++index[i]! === outShape[i]; i--) index[i] = 0;
  }
  return { dataId: backend.write(out, outShape, x.dtype), shape: outShape, dtype: x.dtype };
}

/**
 * Whether the output is the input repeated end to end: reps above 1 only on axes of size 1
 * that come before every axis of size above 1 (a per-channel vector broadcast over N, H, W).
 */
function repeatsWhole(shape: readonly number[], reps: readonly number[]): boolean {
  const firstData = shape.findIndex((d) => d > 1);
  return reps.every((r, i) => r === 1 || (shape[i] === 1 && (firstData < 0 || i < firstData)));
}

/** The input written once, then the filled part doubled by copies within the output. */
function repeatWhole(io: TensorIO, x: TensorInfo, reps: readonly number[]): TensorInfo | undefined {
  const outShape = x.shape.map((d, i) => d * reps[i]!);
  return io.compute([outShape], [x], ([out], [values]) => {
    out!.set(values!);
    for (let filled = values!.length; filled < out!.length && filled > 0; filled *= 2) out!.copyWithin(filled, 0, Math.min(filled, out!.length - filled));
  })[0];
}
