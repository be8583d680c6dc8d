import * as z from 'zod';
import { createRandom, InvalidArgumentError, parseOptions } from '@dgm/core';
import type { Float64Linalg } from '@dgm/kernels';
import { checkFeatures, type FeatureMatrix } from './features.js';
import { linalg } from './linalg.js';
import { featureMatrixType, finite } from './options.js';

export interface KidResult {
  readonly mean: number;
  readonly std: number;
  readonly subsets: number;
  readonly subsetSize: number;
  readonly warnings: readonly string[];
}

/**
 * KID (Bińkowski et al. 2018): the unbiased MMD² with the cubic polynomial kernel
 * k(x, y) = (x·y/d + 1)³ between `subsets` random subsets of `subsetSize` generated and real
 * features (without replacement; mean and population std over subsets, as torch-fidelity).
 * With subsetSize equal to both counts the value does not depend on the seed. A subsetSize
 * larger than the smaller set is clamped (and warned about).
 */
export async function computeKid(options: { generated: FeatureMatrix; real: FeatureMatrix; subsets?: number; subsetSize?: number; seed?: number }): Promise<KidResult> {
  const { generated, real, subsets = 100, subsetSize = 1000, seed = 0 } = parseOptions(kidSchema, options, 'computeKid') as typeof options;
  checkFeatures(generated, 'generated', 'computeKid');
  checkFeatures(real, 'real', 'computeKid');
  if (generated.dim !== real.dim) throw new InvalidArgumentError(`computeKid: dims differ: ${generated.dim} and ${real.dim}`);
  if (!Number.isInteger(subsets) || subsets < 1) throw new InvalidArgumentError(`computeKid: subsets must be a positive integer, got ${subsets}`);
  if (!Number.isInteger(subsetSize) || subsetSize < 2) throw new InvalidArgumentError(`computeKid: subsetSize must be an integer ≥ 2, got ${subsetSize}`);
  const warnings: string[] = [];
  let m = subsetSize;
  if (m > Math.min(generated.count, real.count)) {
    m = Math.min(generated.count, real.count);
    warnings.push(`subsetSize ${subsetSize} clamped to ${m}, the size of the smaller set`);
  }
  if (m < 2) throw new InvalidArgumentError(`computeKid: subsets need at least 2 samples, got ${m}`);
  const random = createRandom({ seed });
  const la = await linalg();
  const values: number[] = [];
  for (let s = 0; s < subsets; s++) {
    const a = pick(generated, m, random.permutation(generated.count));
    const b = pick(real, m, random.permutation(real.count));
    values.push(unbiasedMmd2(la, a, b, m, generated.dim));
  }
  const mean = values.reduce((x, y) => x + y, 0) / values.length;
  const std = Math.sqrt(values.reduce((x, y) => x + (y - mean) ** 2, 0) / values.length);
  return { mean, std, subsets, subsetSize: m, warnings };
}

const kidSchema = z.strictObject({
  generated: featureMatrixType,
  real: featureMatrixType,
  subsets: finite.optional(),
  subsetSize: finite.optional(),
  seed: finite.optional(),
});

function pick(features: FeatureMatrix, m: number, order: Uint32Array): Float64Array {
  const { values, dim } = features;
  const out = new Float64Array(m * dim);
  for (let i = 0; i < m; i++) for (let k = 0; k < dim; k++) out[i * dim + k] = values[order[i]! * dim + k]!;
  return out;
}

/**
 * (Σ_{i≠j} k(xᵢ, xⱼ) + Σ_{i≠j} k(yᵢ, yⱼ)) / (m(m − 1)) − 2 Σ_{i,j} k(xᵢ, yⱼ) / m², with the
 * Gram matrices from the float64 module.
 */
function unbiasedMmd2(la: Float64Linalg, x: Float64Array, y: Float64Array, m: number, d: number): number {
  const kernelSum = (p: Float64Array, q: Float64Array, withDiagonal: boolean) => {
    const gram = la.multiply(p, q, { m, n: m, k: d, transB: true });
    let sum = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (withDiagonal || i !== j) sum += (gram[i * m + j]! / d + 1) ** 3;
    return sum;
  };
  return (kernelSum(x, x, false) + kernelSum(y, y, false)) / (m * (m - 1)) - (2 * kernelSum(x, y, true)) / (m * m);
}
