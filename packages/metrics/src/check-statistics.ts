import { describeValue, InvalidArgumentError } from '@dgm/core';
import { linalg } from './linalg.js';
import type { FeatureStatistics } from './statistics.js';
import { tridiagonalEigenvalues } from './tridiagonal-eigenvalues.js';

/** How far from symmetric a covariance may be, relative to its largest entry: rounding, not a wrong matrix. */
export const symmetryTolerance = 1e-6;
/** How negative the smallest eigenvalue may be, relative to the largest in magnitude: rounding of a rank-deficient covariance. */
export const definitenessTolerance = 1e-6;

/** Covariance arrays already checked (statistics of a reference are checked once, not at every evaluation). */
const checked = new WeakSet<object>();

/**
 * Checks statistics given by a caller before a distance is computed from them, so that bad
 * statistics are an InvalidArgumentError instead of a number: a plain `{ mean, covariance,
 * count, dim }` with dim a positive integer, count an integer ≥ 2, mean of dim and covariance of
 * dim × dim values, all finite, the covariance symmetric within {@link symmetryTolerance} of its
 * largest entry and positive semidefinite within {@link definitenessTolerance} (its smallest
 * eigenvalue ≥ −tolerance × its largest in magnitude; eigenvalues in float64 by Householder
 * tridiagonalization and implicit QL). Returns them with float64 arrays.
 */
export async function checkStatistics(stats: unknown, name: string, caller: string): Promise<FeatureStatistics> {
  const where = `${caller}: ${name} statistics`;
  if (typeof stats !== 'object' || stats === null) throw new InvalidArgumentError(`${where}: expected { mean, covariance, count, dim }, got ${describeValue(stats)}`);
  const { mean, covariance, count, dim } = stats as Partial<Record<keyof FeatureStatistics, unknown>>;
  if (!Number.isInteger(dim) || (dim as number) < 1) throw new InvalidArgumentError(`${where}: dim: expected a positive integer, got ${describeValue(dim)}`);
  const d = dim as number;
  if (!Number.isInteger(count) || (count as number) < 2) {
    throw new InvalidArgumentError(`${where}: count: expected an integer ≥ 2 (a covariance needs 2 samples), got ${describeValue(count)}`);
  }
  const m = numbers(mean, d, `mean: expected ${d} values (dim)`, where);
  const c = numbers(covariance, d * d, `covariance: expected ${d * d} values (dim × dim)`, where);
  if (!checked.has(c)) {
    checkSymmetric(c, d, where);
    await checkSemidefinite(c, d, where);
    checked.add(c);
  }
  return { mean: m, covariance: c, count: count as number, dim: d };
}

function numbers(values: unknown, length: number, expected: string, where: string): Float64Array {
  const what = expected.split(':')[0]!;
  if (!(values instanceof Float64Array || values instanceof Float32Array || Array.isArray(values))) {
    throw new InvalidArgumentError(`${where}: ${expected} in a Float64Array, got ${describeValue(values)}`);
  }
  if (values.length !== length) throw new InvalidArgumentError(`${where}: ${expected}, got ${values.length}`);
  const list = values as ArrayLike<unknown>;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArgumentError(`${where}: ${what}: expected finite numbers, got ${describeValue(v)} at index ${i}`);
  }
  return values instanceof Float64Array ? values : Float64Array.from(values as ArrayLike<number>);
}

function checkSymmetric(c: Float64Array, d: number, where: string): void {
  let scale = 0;
  for (const v of c) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const [a, b] = [c[i * d + j]!, c[j * d + i]!];
      if (Math.abs(a - b) > symmetryTolerance * scale) {
        throw new InvalidArgumentError(`${where}: covariance: expected a symmetric matrix, got [${i}][${j}] = ${a} but [${j}][${i}] = ${b}`);
      }
    }
  }
}

async function checkSemidefinite(c: Float64Array, d: number, where: string): Promise<void> {
  const eigenvalues = tridiagonalEigenvalues((await linalg()).symmetricTridiagonal(c, d));
  let [smallest, largest] = [Infinity, 0];
  for (const lambda of eigenvalues) {
    smallest = Math.min(smallest, lambda);
    largest = Math.max(largest, Math.abs(lambda));
  }
  if (smallest < -definitenessTolerance * largest) {
    throw new InvalidArgumentError(
      `${where}: covariance: expected a positive semidefinite matrix, got an eigenvalue ${Number(smallest.toPrecision(6))} (largest in magnitude ${Number(largest.toPrecision(6))})`,
    );
  }
}
