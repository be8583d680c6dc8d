import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import type { FeatureMatrix } from './features.js';
import { computeFid } from './fid.js';
import { computeInceptionScore } from './inception-score.js';
import { computeKid } from './kid.js';
import { computePrecisionRecall } from './precision-recall.js';

// Golden values from the numpy/scipy reference: `python3 packages/metrics/fixtures/make-fixtures.py`.
const dir = new URL('../fixtures/', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('golden.json', dir), 'utf8')) as { cases: GoldenCase[] };
interface Stored {
  file: string;
  shape: number[];
}
interface GoldenCase {
  name: string;
  gen?: Stored;
  real?: Stored;
  stats?: Record<'mu1' | 'sigma1' | 'mu2' | 'sigma2', Stored>;
  probs?: Stored;
  labels?: Stored;
  expected: Record<string, number>;
}
const load = (s: Stored) => {
  const bytes = readFileSync(new URL(s.file, dir));
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};
const matrix = (s: Stored): FeatureMatrix => ({ values: load(s), count: s.shape[0]!, dim: s.shape[1] ?? 1 });
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('metrics agree with the numpy/scipy reference', () => {
  for (const c of golden.cases.filter((c) => c.gen !== undefined)) {
    it(`${c.name}: FID and KID to 1e-6 relative, precision and recall exactly`, async () => {
      const [generated, real] = [matrix(c.gen!), matrix(c.real!)];
      const fid = await computeFid({ generated, real });
      if (c.name === 'identical') {
        expect(fid.value).toBeGreaterThanOrEqual(0);
        expect(fid.value).toBeLessThan(1e-10);
      } else {
        expect(relative(fid.value, c.expected['fid']!), `FID ${fid.value} vs ${c.expected['fid']}`).toBeLessThan(1e-6);
      }
      // Rank-deficient cases also have a 40-digit value, which float64 sqrtm misses by up to 3e-7.
      if (c.expected['fid_exact'] !== undefined) expect(relative(fid.value, c.expected['fid_exact'])).toBeLessThan(1e-13);
      // The ill-conditioned case's truth comes from the features' QR (no squared condition number).
      if (c.expected['fid_from_features'] !== undefined) expect(relative(fid.value, c.expected['fid_from_features'])).toBeLessThan(1e-12);
      const kid = await computeKid({ generated, real, subsets: 3, subsetSize: c.expected['kid_subset_size']! });
      expect(Math.abs(kid.mean - c.expected['kid_mean']!) / Math.max(Math.abs(c.expected['kid_mean']!), 1e-3), `KID ${kid.mean} vs ${c.expected['kid_mean']}`).toBeLessThan(1e-6);
      const pr = await computePrecisionRecall({ generated, real, k: 3 });
      expect([pr.precision, pr.recall]).toEqual([c.expected['precision'], c.expected['recall']]);
      expect(pr.fScore).toBeCloseTo(c.expected['f_score']!, 12);
    });
  }

  it('commuting covariances: FID from statistics equals the closed form and the reference', async () => {
    const c = golden.cases.find((x) => x.name === 'commuting-covariances')!;
    const s = c.stats!;
    const stats = (mu: Stored, sigma: Stored) => ({ mean: load(mu), covariance: load(sigma), count: 10_000, dim: mu.shape[0]! });
    const fid = await computeFid({ generated: stats(s.mu1, s.sigma1), real: stats(s.mu2, s.sigma2) });
    expect(relative(fid.value, c.expected['closed_form']!)).toBeLessThan(1e-10);
    expect(relative(fid.value, c.expected['fid']!)).toBeLessThan(1e-6);
    expect(fid.warnings).toEqual([]);
  });

  it('Inception Score with the same splits, and accuracy', () => {
    const c = golden.cases.find((x) => x.name === 'inception-score')!;
    const probabilities = matrix(c.probs!);
    const score = computeInceptionScore({ probabilities, splits: 10 });
    expect(relative(score.mean, c.expected['is_mean']!)).toBeLessThan(1e-12);
    expect(relative(score.std, c.expected['is_std']!)).toBeLessThan(1e-9);
    expect(accuracy({ scores: probabilities, labels: load(c.labels!) }).accuracy).toBe(c.expected['accuracy']);
    const onehot = new Float64Array(10_000 * 10).map((_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
    expect(computeInceptionScore({ probabilities: { values: onehot, count: 10_000, dim: 10 } }).mean).toBeCloseTo(c.expected['onehot_balanced']!, 12);
  });

  it('warns about rank deficiency and few samples instead of failing', async () => {
    for (const name of ['n-below-d', 'rank-deficient']) {
      const c = golden.cases.find((x) => x.name === name)!;
      const fid = await computeFid({ generated: matrix(c.gen!), real: matrix(c.real!) });
      expect(fid.warnings.join(' '), name).toMatch(/rank/);
      expect(Number.isFinite(fid.value)).toBe(true);
    }
  });
});
