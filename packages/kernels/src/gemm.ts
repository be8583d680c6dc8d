import type { WasmRuntime } from './wasm-runtime.js';

export interface GemmArgs {
  /** Pointers (bytes) to A, B and C. */
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** C is m×n; the shared dimension is k. */
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** op(A) = Aᵀ: A is stored k×m. */
  readonly transA?: boolean;
  /** op(B) = Bᵀ: B is stored n×k. */
  readonly transB?: boolean;
}

/**
 * C = op(A)·op(B), row-major and dense, sliced across threads by rows of C (or by columns
 * when C has too few rows to share). Needs `runtime.allocate(..., n)` scratch.
 */
export function gemm(rt: WasmRuntime, { a, b, c, m, n, k, transA = false, transB = false }: GemmArgs): void {
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const args = [a, b, c, k, lda, ldb, n, +transA, +transB, 0, 0, m, 0, n, 0];
  const byRows = m >= 8 * rt.threads || m >= n;
  const split = byRows ? { at: 10, total: m, align: 4, workAt: 14 } : { at: 12, total: n, align: 8, workAt: 14 };
  rt.run('gemm', args, split, 2 * m * n * k);
}
