import { createRandom } from '@dgm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceProduct } from './reference-product.test-helper.js';
import { Float64Linalg } from './float64-linalg.js';

const random = createRandom({ seed: 11 });
const normal = (n: number) => Float64Array.from({ length: n }, () => random.normal());


const close = (actual: Float64Array, expected: Float64Array, tolerance: number) => {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1, ...expected.map(Math.abs));
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance * scale));
};

/** Tr(M) and Tr(M²) of a symmetric tridiagonal matrix. */
const traces = ({ diagonal, offDiagonal }: { diagonal: Float64Array; offDiagonal: Float64Array }): [number, number] => [
  diagonal.reduce((a, b) => a + b, 0),
  diagonal.reduce((a, b) => a + b * b, 0) + 2 * offDiagonal.reduce((a, b) => a + b * b, 0),
];

/** A random symmetric positive semidefinite d×d matrix of rank r: G Gᵀ with G d×r. */
function psd(d: number, r: number): Float64Array {
  const g = normal(d * r);
  return referenceProduct(g, g, d, d, r, false, true);
}

describe.each([1, 2])('Float64Linalg with %i thread(s)', (threads) => {
  let linalg: Float64Linalg;
  beforeAll(async () => {
    linalg = await Float64Linalg.load({ threads });
  });
  afterAll(() => linalg.dispose());

  it('multiplies matrices of edge sizes across K and N blocks, with every transpose, to float64 rounding', () => {
    expect(linalg.threads).toBe(threads);
    for (const [m, n, k] of [[1, 1, 1], [5, 3, 7], [13, 17, 300], [7, 530, 9], [66, 9, 130], [4, 8, 0]] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const [a, b] = [normal(m * k), normal(k * n)];
          close(linalg.multiply(a, b, { m, n, k, transA, transB }), referenceProduct(a, b, m, n, k, transA, transB), 1e-13 * Math.max(1, k));
        }
      }
    }
  });

  it('the cross product XᵀX equals the product, mirrored', () => {
    for (const [n, d] of [[10, 1], [37, 300], [600, 9]] as const) {
      const x = normal(n * d);
      close(linalg.crossProduct(x, n, d), referenceProduct(x, x, d, d, n, true, false), 1e-13 * n);
    }
  });

  it('tridiagonal reductions keep the traces of M and M² (so the eigenvalues), and the product one finds the rank', () => {
    const a = psd(70, 70);
    const [t1, t2] = traces(linalg.symmetricTridiagonal(a, 70));
    expect(t1).toBeCloseTo(Array.from({ length: 70 }, (_, i) => a[i * 71]!).reduce((x, y) => x + y, 0), 8);
    expect(t2 / a.reduce((x, y) => x + y * y, 0)).toBeCloseTo(1, 12);
    for (const [d, r] of [[150, 150], [150, 40], [3, 1]] as const) {
      const [s1, s2] = [psd(d, r), psd(d, d)];
      const product = referenceProduct(s1, s2, d, d, d, false, false);
      const square = referenceProduct(product, product, d, d, d, false, false);
      const result = linalg.productTridiagonal(s1, s2, d);
      expect(result.rank).toBe(r);
      const [p1, p2] = traces(result);
      const trace = (m: Float64Array) => Array.from({ length: d }, (_, i) => m[i * (d + 1)]!).reduce((x, y) => x + y, 0);
      expect(p1 / trace(product)).toBeCloseTo(1, 11);
      expect(p2 / trace(square)).toBeCloseTo(1, 11);
    }
  });
});
