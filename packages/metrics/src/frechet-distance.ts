import { InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { checkStatistics } from './check-statistics.js';
import type { FeatureMatrix } from './features.js';
import { linalg } from './linalg.js';
import type { FeatureStatistics } from './statistics.js';
import { tridiagonalEigenvalues } from './tridiagonal-eigenvalues.js';

export interface FrechetDistance {
  readonly value: number;
  /** Tr √(Σ₁Σ₂). */
  readonly traceSqrt: number;
  /** Numerical rank of Σ₁ found by the pivoted Cholesky (dim when full rank). */
  readonly rank: number;
  readonly warnings: readonly string[];
}

/**
 * The Fréchet distance between N(μ₁, Σ₁) and N(μ₂, Σ₂):
 * ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr √(Σ₁Σ₂), in float64, without a general matrix square
 * root: with P Σ₁ Pᵀ = L Lᵀ (pivoted Cholesky, which also finds the rank), Σ₁Σ₂ has the
 * eigenvalues of the symmetric Lᵀ (P Σ₂ Pᵀ) L, so Tr √(Σ₁Σ₂) = Σ √max(λᵢ, 0) (Householder
 * tridiagonalization, then implicit QL). Never complex, and exact for rank-deficient
 * covariances (warned about). A value below 0 by rounding is 0. The statistics are checked
 * first (`checkStatistics`: count ≥ 2, sizes, finite, symmetric and positive semidefinite within
 * a tolerance): bad statistics are an InvalidArgumentError, not a number.
 */
export async function frechetDistance(first: FeatureStatistics, second: FeatureStatistics): Promise<FrechetDistance> {
  const [a, b] = [await checkStatistics(first, 'first', 'frechetDistance'), await checkStatistics(second, 'second', 'frechetDistance')];
  return frechetDistanceOf(a, b);
}

/** `frechetDistance` of statistics already checked (`checkStatistics`) or computed from features. */
export async function frechetDistanceOf(first: FeatureStatistics, second: FeatureStatistics): Promise<FrechetDistance> {
  const d = first.dim;
  if (second.dim !== d) throw new ShapeMismatchError(`frechetDistance: dims differ: ${d} and ${second.dim}`);
  const warnings: string[] = [];
  const tridiagonal = (await linalg()).productTridiagonal(first.covariance, second.covariance, d);
  const { rank } = tridiagonal;
  const few = (count: number, which: string) => `the ${which} set has ${count} samples for ${d} features: its covariance is rank-deficient and the estimate is noisy`;
  if (first.count <= d) warnings.push(few(first.count, 'first'));
  else if (rank < d) warnings.push(`the first covariance has rank ${rank} < ${d}: some features are constant or linearly dependent (e.g. dead units); the value is exact`);
  if (second.count <= d) warnings.push(few(second.count, 'second'));
  const traceSqrt = sumOfRoots(tridiagonalEigenvalues(tridiagonal));
  return { ...assemble(first, second, traceSqrt, warnings), rank };
}

/**
 * The Fréchet distance from features when there are fewer samples than features: with A, B
 * the centred features, Σ₁Σ₂ = AᵀA BᵀB / ((n₁ − 1)(n₂ − 1)), whose eigenvalues are the squared
 * singular values of A Bᵀ (n₁ × n₂) over (n₁ − 1)(n₂ − 1): Tr √(Σ₁Σ₂) = ‖A Bᵀ‖_* / √((n₁ − 1)(n₂ − 1)).
 */
export async function frechetDistanceFromFeatures(
  first: FeatureMatrix,
  second: FeatureMatrix,
  statistics: [FeatureStatistics, FeatureStatistics],
): Promise<FrechetDistance> {
  const [s1, s2] = statistics;
  const d = first.dim;
  const [n1, n2] = [first.count, second.count];
  const la = await linalg();
  // G = (A Bᵀ)(A Bᵀ)ᵀ, n₁ × n₁: its eigenvalues are the squared singular values of A Bᵀ.
  const abt = la.multiply(centred(first, s1.mean), centred(second, s2.mean), { m: n1, n: n2, k: d, transB: true });
  const g = la.multiply(abt, abt, { m: n1, n: n1, k: n2, transB: true });
  const traceSqrt = sumOfRoots(tridiagonalEigenvalues(la.symmetricTridiagonal(g, n1))) / Math.sqrt((n1 - 1) * (n2 - 1));
  const warnings = [`${Math.min(n1, n2)} samples for ${d} features: the covariances are rank-deficient and the estimate is noisy`];
  return { ...assemble(s1, s2, traceSqrt, warnings), rank: Math.min(n1 - 1, d) };
}

function assemble(first: FeatureStatistics, second: FeatureStatistics, traceSqrt: number, warnings: string[]) {
  const d = first.dim;
  let value = -2 * traceSqrt;
  for (let i = 0; i < d; i++) {
    const diff = first.mean[i]! - second.mean[i]!;
    value += diff * diff + first.covariance[i * d + i]! + second.covariance[i * d + i]!;
  }
  if (!Number.isFinite(value)) throw new InvalidArgumentError('frechetDistance: the statistics are not finite');
  return { value: Math.max(0, value), traceSqrt, warnings };
}

function sumOfRoots(eigenvalues: Float64Array): number {
  let sum = 0;
  for (const lambda of eigenvalues) sum += Math.sqrt(Math.max(lambda, 0));
  return sum;
}

function centred(features: FeatureMatrix, mean: Float64Array): Float64Array {
  const { values, count, dim } = features;
  const out = new Float64Array(count * dim);
  for (let r = 0; r < count; r++) for (let k = 0; k < dim; k++) out[r * dim + k] = values[r * dim + k]! - mean[k]!;
  return out;
}
