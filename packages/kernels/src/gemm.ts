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

/** Columns of a packed panel of B (the register tile's width). */
const NR = 8;

/**
 * C = op(A)·op(B), row-major and dense, shared across threads by rows of C (or by columns
 * when C has too few rows to share). Split by rows, B is packed once, by all threads, into
 * scratch above the allocated regions. Needs `runtime.allocate(..., n)` scratch.
 */
export function gemm(rt: WasmRuntime, { a, b, c, m, n, k, transA = false, transB = false }: GemmArgs): void {
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const flops = 2 * m * n * k;
  const byRows = m >= 8 * rt.threads || m >= n;
  const panels = Math.ceil(n / NR);
  const packed = byRows ? rt.scratch(panels * NR * k) : undefined;
  if (packed !== undefined) {
    rt.run('packB32', [b, ldb, +transB, k, n, 0, 0, packed], { at: 5, total: panels, align: 1 }, panels * NR * k);
    rt.run('gemmPacked', [a, packed, c, k, n, lda, n, +transA, 0, 0, 0, 0], { at: 9, total: m, align: 4, workAt: 11 }, flops);
    return;
  }
  const args = [a, b, c, k, lda, ldb, n, +transA, +transB, 0, 0, m, 0, n, 0];
  const split = byRows ? { at: 10, total: m, align: 4, workAt: 14 } : { at: 12, total: n, align: 8, workAt: 14 };
  rt.run('gemm', args, split, flops);
}
