import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, createRandom, InvalidArgumentError } from '@dgm/core';
import { describe, expect, it } from 'vitest';
import { computeFid } from './fid.js';
import { frechetDistance } from './frechet-distance.js';
import { linalg } from './linalg.js';
import { loadReferenceStatistics, saveReferenceStatistics } from './node/reference-statistics-file.js';
import { decodeReferenceStatistics, encodeReferenceStatistics } from './reference-statistics.js';
import { featureStatistics, StatisticsAccumulator } from './statistics.js';
import { tridiagonalEigenvalues } from './tridiagonal-eigenvalues.js';

const random = createRandom({ seed: 5 });
const normal = (n: number) => Float64Array.from({ length: n }, () => random.normal());

/** A random orthogonal n×n matrix (Gram–Schmidt). */
function orthogonal(n: number): Float64Array {
  const q = normal(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += q[i * n + k]! * q[j * n + k]!;
      for (let k = 0; k < n; k++) q[i * n + k]! -= dot * q[j * n + k]!;
    }
    const norm = Math.hypot(...q.subarray(i * n, (i + 1) * n));
    for (let k = 0; k < n; k++) q[i * n + k]! /= norm;
  }
  return q;
}

/** Qᵀ diag(λ) Q. */
function withEigenvalues(lambda: number[]): Float64Array {
  const n = lambda.length;
  const q = orthogonal(n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j]! += q[k * n + i]! * lambda[k]! * q[k * n + j]!;
  return a;
}

describe('numerics', () => {
  it('symmetric eigenvalues are found to 1e-12 (random spectrum, repeated values, zeros, 1×1)', async () => {
    const la = await linalg();
    for (const lambda of [Array.from({ length: 40 }, (_, i) => (i - 20) * 0.37 + 0.01), [3, 3, 3, 1, 1, 0, 0, 0], [7.5]]) {
      const found = Array.from(tridiagonalEigenvalues(la.symmetricTridiagonal(withEigenvalues(lambda), lambda.length))).sort((a, b) => a - b);
      const expected = [...lambda].sort((a, b) => a - b);
      found.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected[i]!)) * 100));
    }
  });

  it('the Fréchet distance of commuting covariances, one rank-deficient, is the closed form, and the rank is found', async () => {
    const d = 7;
    const q = orthogonal(d);
    const rotate = (lambda: number[]) => {
      const a = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) a[i * d + j]! += q[k * d + i]! * lambda[k]! * q[k * d + j]!;
      return a;
    };
    const [lambda, mu] = [[5, 2, 1, 0.5, 0, 0, 0], [1, 3, 2, 4, 5, 6, 0.1]];
    const stats = (covariance: Float64Array, shift: number) => ({ mean: new Float64Array(d).fill(shift), covariance, count: 100, dim: d });
    const result = await frechetDistance(stats(rotate(lambda), 0), stats(rotate(mu), 0.5));
    const closed = d * 0.25 + lambda.reduce((s, l, i) => s + l + mu[i]! - 2 * Math.sqrt(l * mu[i]!), 0);
    expect(result.rank).toBe(4);
    expect(Math.abs(result.value - closed)).toBeLessThan(1e-12 * closed);
    expect(result.warnings.join(' ')).toMatch(/rank 4 < 7/);
  });

  it('streaming statistics equal one-pass statistics over chunks, far from zero too', async () => {
    const [n, d] = [250, 6];
    const values = normal(n * d).map((v) => v + 1e6);
    const whole = await featureStatistics({ values, count: n, dim: d });
    const accumulator = new StatisticsAccumulator(d, { chunkRows: 64 });
    for (const [from, to] of [[0, 1], [1, 100], [100, 250]] as const) await accumulator.add({ values: values.subarray(from * d, to * d), count: to - from, dim: d });
    const streamed = await accumulator.statistics();
    whole.covariance.forEach((v, i) => expect(Math.abs(streamed.covariance[i]! - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))));
    whole.mean.forEach((v, i) => expect(streamed.mean[i]).toBeCloseTo(v, 6));
    // Shifting every feature by 1e6 does not change the covariance.
    const shifted = await featureStatistics({ values: values.map((v) => v - 1e6), count: n, dim: d });
    shifted.covariance.forEach((v, i) => expect(Math.abs(whole.covariance[i]! - v)).toBeLessThan(1e-8));
  });

  it('reference statistics round-trip through a file, and a bad file is a CheckpointError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dgm-stats-'));
    const stats = { ...(await featureStatistics({ values: normal(60), count: 20, dim: 3 })), extractor: 'mnist-cnn', source: 'toy/train' };
    expect(decodeReferenceStatistics(encodeReferenceStatistics(stats))).toEqual(stats);
    await saveReferenceStatistics(join(dir, 'ref.stats'), stats);
    expect(await loadReferenceStatistics(join(dir, 'ref.stats'))).toEqual(stats);
    await writeFile(join(dir, 'bad.stats'), '{"format":"dgm-stats/1","dim":3}\nshort');
    await expect(loadReferenceStatistics(join(dir, 'bad.stats'))).rejects.toThrow(CheckpointError);
    await expect(loadReferenceStatistics(join(dir, 'missing.stats'))).rejects.toThrow(/cannot read/);
    await rm(dir, { recursive: true });
  });

  it('rejects non-finite and malformed features with InvalidArgumentError', async () => {
    const good = { values: normal(20), count: 10, dim: 2 };
    const bad = { values: Float64Array.from([...normal(19), Number.NaN]), count: 10, dim: 2 };
    await expect(computeFid({ generated: bad, real: good })).rejects.toThrow(/non-finite value \(NaN\) at row 9, column 1/);
    await expect(computeFid({ generated: { values: normal(21), count: 10, dim: 2 }, real: good })).rejects.toThrow(InvalidArgumentError);
    await expect(computeFid({ generated: good, real: { values: normal(30), count: 10, dim: 3 } })).rejects.toThrow(/2 dimensions, real ones 3/);
  });
});
