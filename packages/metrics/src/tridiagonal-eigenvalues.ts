import { NumericalError } from '@dgm/core';
import type { Tridiagonal } from '@dgm/kernels';

/**
 * Eigenvalues of a symmetric tridiagonal matrix by the implicit QL algorithm with Wilkinson
 * shifts (tqli without eigenvectors, Numerical Recipes §11.3), in float64.
 */
export function tridiagonalEigenvalues({ diagonal, offDiagonal }: Tridiagonal): Float64Array {
  // In the given order first (the most accurate for the graded matrices of frechetDistance);
  // if that stalls, reversed (QL from the other end), which converges where it does not.
  const e = offDiagonal.slice(0, Math.max(0, diagonal.length - 1));
  const values = implicitQl(diagonal.slice(), e.slice()) ?? implicitQl(diagonal.slice().reverse(), e.reverse());
  if (values === undefined) throw new NumericalError('tridiagonalEigenvalues: no convergence');
  return values;
}

/** The eigenvalues, in place of `d`; undefined when one needs more than 60 iterations. */
function implicitQl(d: Float64Array, offDiagonal: Float64Array): Float64Array | undefined {
  const n = d.length;
  const e = new Float64Array(n);
  e.set(offDiagonal);
  // Off-diagonal values below ε²·‖T‖ count as zero even beside tiny diagonal values (they
  // move no eigenvalue by more than that), or graded matrices could iterate forever.
  const floor = Number.EPSILON ** 2 * d.reduce((max, v, i) => Math.max(max, Math.abs(v) + Math.abs(e[i]!) + Math.abs(e[i - 1] ?? 0)), 0);
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd || Math.abs(e[m]!) <= floor) break;
      }
      if (m !== l) {
        if (++iterations > 60) return undefined;
        let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
        let r = Math.hypot(g, 1);
        g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        for (i = m - 1; i >= l; i--) {
          const f = s * e[i]!;
          const b = c * e[i]!;
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1]! -= p;
            e[m] = 0;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
        }
        if (r === 0 && i >= l) continue;
        d[l]! -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
  return d;
}
