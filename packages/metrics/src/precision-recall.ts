import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import type { Float64Linalg } from '@dgm/kernels';
import { checkFeatures, type FeatureMatrix } from './features.js';
import { linalg } from './linalg.js';
import { featureMatrixType, finite } from './options.js';

export interface PrecisionRecallResult {
  readonly precision: number;
  readonly recall: number;
  /** Harmonic mean, 2PR / max(1e-5, P + R). */
  readonly fScore: number;
  readonly k: number;
}

/** Query rows per block of squared distances. */
const BLOCK = 1024;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019): each set's manifold is the union
 * of balls around its samples with the distance to the k-th nearest other sample as radius;
 * precision is the fraction of generated samples inside the real manifold (distance ≤ radius),
 * recall the fraction of real samples inside the generated one. Squared distances in float64
 * as |a|² − 2a·b + |b|², like the reference, by blocks of rows.
 */
export async function computePrecisionRecall(options: { generated: FeatureMatrix; real: FeatureMatrix; k?: number }): Promise<PrecisionRecallResult> {
  const { generated, real, k = 3 } = parseOptions(
    z.strictObject({ generated: featureMatrixType, real: featureMatrixType, k: finite.optional() }),
    options,
    'computePrecisionRecall',
  ) as typeof options;
  checkFeatures(generated, 'generated', 'computePrecisionRecall');
  checkFeatures(real, 'real', 'computePrecisionRecall');
  if (generated.dim !== real.dim) throw new InvalidArgumentError(`computePrecisionRecall: dims differ: ${generated.dim} and ${real.dim}`);
  if (!Number.isInteger(k) || k < 1 || k >= Math.min(generated.count, real.count)) {
    throw new InvalidArgumentError(`computePrecisionRecall: k must be an integer in [1, ${Math.min(generated.count, real.count) - 1}], got ${k}`);
  }
  const la = await linalg();
  const [g, r] = [asSet(generated), asSet(real)];
  const [gRadii, rRadii] = [radii(la, g, k), radii(la, r, k)];
  const precision = coverage(la, g, r, rRadii);
  const recall = coverage(la, r, g, gRadii);
  return { precision, recall, fScore: (2 * precision * recall) / Math.max(1e-5, precision + recall), k };
}

interface PointSet {
  readonly x: Float64Array;
  readonly n: number;
  readonly d: number;
  /** |xᵢ|². */
  readonly norms: Float64Array;
}

function asSet({ values, count: n, dim: d }: FeatureMatrix): PointSet {
  const x = values instanceof Float64Array ? values : Float64Array.from(values);
  const norms = Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let c = 0; c < d; c++) s += x[i * d + c]! * x[i * d + c]!;
    return s;
  });
  return { x, n, d, norms };
}

/** Calls `use(i, row)` with the squared distances from each query to every reference point. */
function eachDistanceRow(la: Float64Linalg, query: PointSet, ref: PointSet, use: (i: number, row: Float64Array) => void): void {
  const row = new Float64Array(ref.n);
  for (let i0 = 0; i0 < query.n; i0 += BLOCK) {
    const rows = Math.min(BLOCK, query.n - i0);
    const dots = la.multiply(query.x.subarray(i0 * query.d, (i0 + rows) * query.d), ref.x, { m: rows, n: ref.n, k: query.d, transB: true });
    for (let i = 0; i < rows; i++) {
      const qi = query.norms[i0 + i]!;
      for (let j = 0; j < ref.n; j++) row[j] = Math.max(qi - 2 * dots[i * ref.n + j]! + ref.norms[j]!, 0);
      use(i0 + i, row);
    }
  }
}

/** The squared distance from each point to its k-th nearest in the same set (index k of the sorted row, index 0 being itself). */
function radii(la: Float64Linalg, set: PointSet, k: number): Float64Array {
  const out = new Float64Array(set.n);
  eachDistanceRow(la, set, set, (i, row) => (out[i] = kthSmallest(row, k)));
  return out;
}

function coverage(la: Float64Linalg, query: PointSet, ref: PointSet, refRadii: Float64Array): number {
  let hits = 0;
  eachDistanceRow(la, query, ref, (_i, row) => {
    if (row.some((v, j) => v <= refRadii[j]!)) hits++;
  });
  return hits / query.n;
}

/** The value at index k of `values` sorted ascending (quickselect; `values` is reordered). */
function kthSmallest(values: Float64Array, k: number): number {
  let [lo, hi] = [0, values.length - 1];
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let [i, j] = [lo, hi];
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        [values[i], values[j]] = [values[j]!, values[i]!];
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}
