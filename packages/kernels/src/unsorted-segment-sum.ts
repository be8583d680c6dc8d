import type { KernelBackend, NamedAttrMap, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';

/**
 * UnsortedSegmentSum, the gradient of Gather (embeddings, DiffAugment's translation), in one
 * pass: the wasm backend lacks it, the cpu backend's takes a pass per segment.
 * out[s] = Σ_{i: ids[i] = s} x[i] (in the order of i, as the cpu backend sums);
 * ids outside [0, numSegments) are dropped, as in TensorFlow.
 */
export function unsortedSegmentSum(
  backend: KernelBackend,
  inputs: { x: TensorInfo; segmentIds: TensorInfo },
  attrs: NamedAttrMap,
): TensorInfo | undefined {
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32') return undefined;
  const ids = backend.readSync(segmentIds.dataId) as Int32Array;
  const values = backend.readSync(x.dataId) as Float32Array;
  const inner = values.length / Math.max(1, ids.length);
  const out = new Float32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= numSegments) continue;
    for (let j = 0; j < inner; j++) out[s * inner + j]! += values[i * inner + j]!;
  }
  const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  return { dataId: backend.write(out, shape, 'float32'), shape, dtype: 'float32' };
}
