import { InvalidArgumentError } from '@dgm/core';
import { defaultThreads, WasmRuntime } from './wasm-runtime.js';

/** A symmetric tridiagonal matrix: n diagonal and n − 1 off-diagonal values. */
export interface Tridiagonal {
  readonly diagonal: Float64Array;
  readonly offDiagonal: Float64Array;
}

/** Columns per block where a product is split to skip a triangle of zeros. */
const BLOCK = 256;
/** Columns per panel of the pivoted Cholesky factorization. */
const PANEL = 64;
/** Multiply-adds per call of the product (about 50 ms). */
const CALL_PRODUCTS = 2.5e8;

/**
 * Dense float64 linear algebra on the kernels' WebAssembly module (SIMD, and threads in
 * Node): the products behind covariance matrices and the Fréchet distance. Inputs are
 * row-major Float64Arrays, copied in; results are new arrays.
 */
export class Float64Linalg {
  private constructor(private readonly rt: WasmRuntime) {}

  /** Loads the module; `threads` defaults to the available cores in Node (1 elsewhere). */
  static async load({ threads }: { threads?: number } = {}): Promise<Float64Linalg> {
    const count = threads ?? (await defaultThreads());
    if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError(`Float64Linalg.load: threads must be a positive integer, got ${threads}`);
    return new Float64Linalg(await WasmRuntime.load(count));
  }

  get threads(): number {
    return this.rt.threads;
  }

  /** C = op(A)·op(B): op(A) m×k (A stored k×m when transA), op(B) k×n (B stored n×k when transB). */
  multiply(a: Float64Array, b: Float64Array, { m, n, k, transA = false, transB = false }: { m: number; n: number; k: number; transA?: boolean; transB?: boolean }): Float64Array {
    if (a.length !== m * k || b.length !== k * n) throw new InvalidArgumentError(`Float64Linalg.multiply: A has ${a.length} values, B ${b.length}; expected ${m}×${k} and ${k}×${n}`);
    const [pa, pb, pc] = this.#allocate([m * k, k * n, m * n], n);
    this.rt.view64(pa, m * k).set(a);
    this.rt.view64(pb, k * n).set(b);
    this.#dgemm({ a: pa, b: pb, c: pc, k, lda: transA ? m : k, ldb: transB ? k : n, ldc: n, transA, transB, accumulate: false, alpha: 1, rows: [0, m], cols: [0, n] });
    return this.rt.view64(pc, m * n).slice();
  }

  /** XᵀX of the n×d matrix X (d×d, symmetric, full): only its upper triangle is computed, then mirrored. */
  crossProduct(x: Float64Array, n: number, d: number): Float64Array {
    if (x.length !== n * d) throw new InvalidArgumentError(`Float64Linalg.crossProduct: ${x.length} values are not ${n}×${d}`);
    const [px, pc] = this.#allocate([n * d, d * d], d);
    this.rt.view64(px, n * d).set(x);
    for (let r0 = 0; r0 < d; r0 += BLOCK) {
      this.#dgemm({ a: px, b: px, c: pc, k: n, lda: d, ldb: d, ldc: d, transA: true, transB: false, accumulate: false, alpha: 1, rows: [r0, Math.min(d, r0 + BLOCK)], cols: [r0, d] });
    }
    const c = this.rt.view64(pc, d * d).slice();
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) c[j * d + i] = c[i * d + j]!;
    return c;
  }

  /** A tridiagonal matrix with the eigenvalues of the symmetric n×n matrix `a` (lower triangle read). */
  symmetricTridiagonal(a: Float64Array, n: number): Tridiagonal {
    if (a.length !== n * n) throw new InvalidArgumentError(`Float64Linalg.symmetricTridiagonal: ${a.length} values are not ${n}×${n}`);
    const [pa, pe, pp] = this.#allocate([n * n, n, n]);
    this.rt.view64(pa, n * n).set(a);
    return this.#tridiagonalize(pa, n, pe, pp);
  }

  /**
   * For symmetric positive semidefinite Σ₁ and Σ₂ (d×d): a symmetric tridiagonal matrix whose
   * eigenvalues are those of Σ₁Σ₂ (its nonzero ones), and the numerical rank of Σ₁. With
   * P Σ₁ Pᵀ = L Lᵀ (pivoted Cholesky, stopping at pivots ≤ tolerance × the largest diagonal),
   * Σ₁Σ₂ is similar to Lᵀ (P Σ₂ Pᵀ) L (rank × rank), which is reduced by Householder
   * reflections. The products skip L's zero triangle.
   */
  productTridiagonal(sigma1: Float64Array, sigma2: Float64Array, d: number, tolerance = d * Number.EPSILON): Tridiagonal & { rank: number } {
    if (sigma1.length !== d * d || sigma2.length !== d * d) throw new InvalidArgumentError(`Float64Linalg.productTridiagonal: the matrices must be ${d}×${d}`);
    const [pa, pb, ps, pm, pdiag, pperm, pe, pp] = this.#allocate([d * d, d * d, d * d, d * d, d, d, d, d], d);
    // Σ₁ → L, in place, panel by panel.
    const l = this.rt.view64(pa, d * d);
    l.set(sigma1);
    const diag = this.rt.view64(pdiag, d);
    for (let i = 0; i < d; i++) diag[i] = sigma1[i * d + i]!;
    const stop = tolerance * Math.max(0, ...diag);
    new Int32Array(this.rt.memory.buffer, pperm, d).forEach((_, i, perm) => (perm[i] = i));
    let rank = 0;
    for (let j0 = 0; j0 < d; j0 += PANEL) {
      const width = Math.min(PANEL, d - j0);
      const done = this.rt.call('choleskyPanel', [pa, d, j0, width, pperm, pdiag, stop]);
      rank = j0 + done;
      if (done < width) break;
      const t = j0 + width;
      const at = (i: number, j: number) => pa + (i * d + j) * 8;
      // Trailing matrix (both triangles, for the symmetric swaps to come) −= L[t:, j0:t] L[t:, j0:t]ᵀ.
      this.#dgemm({ a: at(t, j0), b: at(t, j0), c: at(t, t), k: width, lda: d, ldb: d, ldc: d, transA: false, transB: true, accumulate: true, alpha: -1, rows: [0, d - t], cols: [0, d - t] });
    }
    const factor = this.rt.view64(pa, d * d);
    for (let i = 0; i < rank; i++) factor.fill(0, i * d + i + 1, i * d + rank); // L's upper triangle holds stale values
    // P Σ₂ Pᵀ.
    const perm = new Int32Array(this.rt.memory.buffer, pperm, d);
    const permuted = this.rt.view64(pb, d * d);
    for (let i = 0; i < d; i++) {
      const from = perm[i]! * d;
      for (let j = 0; j < d; j++) permuted[i * d + j] = sigma2[from + perm[j]!]!;
    }
    // S = (P Σ₂ Pᵀ) L, by blocks of L's columns: rows of L above a block are zero.
    for (let c0 = 0; c0 < rank; c0 += BLOCK) {
      this.#dgemm({ a: pb + c0 * 8, b: pa + c0 * d * 8, c: ps, k: d - c0, lda: d, ldb: d, ldc: d, transA: false, transB: false, accumulate: false, alpha: 1, rows: [0, d], cols: [c0, Math.min(rank, c0 + BLOCK)] });
    }
    // M = Lᵀ S, its lower triangle (rank × rank), by blocks of rows: L[p][i] = 0 for p < i.
    for (let r0 = 0; r0 < rank; r0 += BLOCK) {
      const r1 = Math.min(rank, r0 + BLOCK);
      this.#dgemm({ a: pa + r0 * d * 8, b: ps + r0 * d * 8, c: pm, k: d - r0, lda: d, ldb: d, ldc: rank, transA: true, transB: false, accumulate: false, alpha: 1, rows: [r0, r1], cols: [0, r1] });
    }
    // Reverse the order so the largest entries (the first pivots) come last: the Householder
    // steps start from the last row, and reducing the smallest part first loses its accuracy.
    const m = this.rt.view64(pm, rank * rank);
    const lower = m.slice();
    for (let i = 0; i < rank; i++) for (let j = 0; j <= i; j++) m[i * rank + j] = lower[(rank - 1 - j) * rank + rank - 1 - i]!;
    return { ...this.#tridiagonalize(pm, rank, pe, pp), rank };
  }

  dispose(): void {
    this.rt.dispose();
  }

  /** Regions of `doubles` each (with float64 product scratch for `columns` columns). */
  /** One pointer per block of `doubles` float64 values (a tuple as long as the sizes'). */
  #allocate<const T extends readonly number[]>(doubles: T, columns = 0): { -readonly [K in keyof T]: number } {
    const pointers = this.rt.allocate(doubles.map((n) => 2 * n), columns, true);
    if (pointers === undefined) throw new InvalidArgumentError(`Float64Linalg: ${doubles.reduce((a, b) => a + b, 0) * 8} bytes exceed the module's 1 GiB memory`);
    return pointers as { -readonly [K in keyof T]: number };
  }

  /**
   * C[rows, cols] = alpha·op(A)·op(B) (+ C), split across threads along the longer side, and
   * into calls of at most CALL_PRODUCTS multiply-adds along k: V8 runs a function's first
   * calls unoptimized and swaps in optimized code only for later calls.
   */
  #dgemm(o: { a: number; b: number; c: number; k: number; lda: number; ldb: number; ldc: number; transA: boolean; transB: boolean; accumulate: boolean; alpha: number; rows: [number, number]; cols: [number, number] }): void {
    const [rows, cols] = [o.rows[1] - o.rows[0], o.cols[1] - o.cols[0]];
    if (rows <= 0 || cols <= 0) return;
    const byRows = rows >= cols;
    const split = byRows ? { at: 11, total: rows, start: o.rows[0], align: 4, workAt: 15 } : { at: 13, total: cols, start: o.cols[0], align: 4, workAt: 15 };
    const chunk = Math.max(128, Math.floor(CALL_PRODUCTS / (rows * cols) / 128) * 128);
    for (let k0 = 0; k0 < o.k || k0 === 0; k0 += chunk) {
      const kc = Math.min(chunk, o.k - k0);
      const a = o.a + 8 * k0 * (o.transA ? o.lda : 1);
      const b = o.b + 8 * k0 * (o.transB ? 1 : o.ldb);
      const args = [a, b, o.c, kc, o.lda, o.ldb, o.ldc, +o.transA, +o.transB, +(o.accumulate || k0 > 0), o.alpha, o.rows[0], o.rows[1], o.cols[0], o.cols[1], 0];
      this.rt.run('dgemm', args, split, 2 * rows * cols * kc);
    }
  }

  #tridiagonalize(pa: number, n: number, pe: number, pp: number): Tridiagonal {
    for (let i = n - 1; i > 0; i--) this.rt.call('householderStep', [pa, n, i, pe, pp]);
    const a = this.rt.view64(pa, n * n);
    return { diagonal: Float64Array.from({ length: n }, (_, i) => a[i * n + i]!), offDiagonal: this.rt.view64(pe, n).slice(1) };
  }
}
