/** op(A)·op(B) in float64 by the definition, A and B row-major as stored (A k×m when transA, B n×k when transB). */
export function referenceProduct(a: ArrayLike<number>, b: ArrayLike<number>, m: number, n: number, k: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[transA ? p * m + i : i * k + p]! * b[transB ? j * k + p : p * n + j]!;
      c[i * n + j] = sum;
    }
  }
  return c;
}
