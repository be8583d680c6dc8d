// Double-precision factorizations for statistics (FID), beside the products of gemm.ts: a
// panel of the pivoted Cholesky factorization and Householder tridiagonalization of a
// symmetric matrix. All matrices are row-major; pointers are byte offsets in linear memory.

@inline function at(a: usize, n: i32, i: i32, j: i32): usize {
  return a + ((<usize>i * n + j) << 3);
}

/** Σ x[i]·y[i] over `count` doubles. */
@inline function dot(x: usize, y: usize, count: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let q = 0;
  for (; q + 4 <= count; q += 4) {
    const o = <usize>q << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  const s = f64x2.add(s0, s1);
  let sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; q < count; q++) sum += load<f64>(x + (<usize>q << 3)) * load<f64>(y + (<usize>q << 3));
  return sum;
}

/**
 * Columns j0 … j0+nb−1 of the pivoted Cholesky factorization P A Pᵀ = L Lᵀ of the symmetric
 * n×n matrix `a` (full storage, overwritten: L below the diagonal in pivoted order). The
 * trailing matrix a[j0:, j0:] must be up to date through column j0 (the caller applies the
 * panel's rank-nb update after each panel); within the panel columns are computed
 * left-looking. `diag` holds the current diagonal of the trailing matrix, `perm` (i32) the
 * permutation; both are swapped along. A pivot ≤ `stop` ends the factorization. Returns
 * the number of columns done.
 */
export function choleskyPanel(a: usize, n: i32, j0: i32, nb: i32, perm: usize, diag: usize, stop: f64): i32 {
  const end = min(j0 + nb, n);
  for (let j = j0; j < end; j++) {
    let p = j;
    let best = load<f64>(diag + (<usize>j << 3));
    for (let i = j + 1; i < n; i++) {
      const v = load<f64>(diag + (<usize>i << 3));
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > stop)) return j - j0;
    if (p != j) swapSymmetric(a, n, j, p, perm, diag);
    const root = Math.sqrt(best);
    store<f64>(at(a, n, j, j), root);
    const rowJ = at(a, n, j, j0);
    for (let i = j + 1; i < n; i++) {
      const v = (load<f64>(at(a, n, i, j)) - dot(at(a, n, i, j0), rowJ, j - j0)) / root;
      store<f64>(at(a, n, i, j), v);
      const dp = diag + (<usize>i << 3);
      store<f64>(dp, load<f64>(dp) - v * v);
    }
  }
  return end - j0;
}

// Swaps index j and p (p > j): rows j and p entirely (L's rows and the trailing rows), and
// columns j and p of the trailing rows (≥ j); the entries of rows above j are not used.
function swapSymmetric(a: usize, n: i32, j: i32, p: i32, perm: usize, diag: usize): void {
  for (let q = 0; q < n; q++) {
    const x = at(a, n, j, q);
    const y = at(a, n, p, q);
    const t = load<f64>(x);
    store<f64>(x, load<f64>(y));
    store<f64>(y, t);
  }
  for (let i = j; i < n; i++) {
    const x = at(a, n, i, j);
    const y = at(a, n, i, p);
    const t = load<f64>(x);
    store<f64>(x, load<f64>(y));
    store<f64>(y, t);
  }
  const pj = perm + (<usize>j << 2);
  const pp = perm + (<usize>p << 2);
  const t = load<i32>(pj);
  store<i32>(pj, load<i32>(pp));
  store<i32>(pp, t);
  const dj = diag + (<usize>j << 3);
  const dpp = diag + (<usize>p << 3);
  const s = load<f64>(dj);
  store<f64>(dj, load<f64>(dpp));
  store<f64>(dpp, s);
}

/**
 * One step of the Householder reduction of the symmetric n×n matrix `a` (lower triangle
 * read, overwritten) to tridiagonal form (tred2 without eigenvectors, row-oriented so that
 * every pass reads rows): for i = n−1 down to 1, row i is reduced, its subdiagonal value
 * goes to e[i], and the leading i×i block is updated. After the last step the diagonal of
 * `a` is the tridiagonal's. `p` is n doubles of scratch. (One call per step, so that V8
 * optimizes the function after the first few instead of running one long baseline call.)
 */
export function householderStep(a: usize, n: i32, i: i32, e: usize, p: usize): void {
  const l = i - 1;
  const row = at(a, n, i, 0);
  let scale: f64 = 0;
  for (let k = 0; k <= l; k++) scale += Math.abs(load<f64>(row + (<usize>k << 3)));
  if (l == 0 || scale == 0) {
    store<f64>(e + (<usize>i << 3), load<f64>(row + (<usize>l << 3)));
    return;
  }
  const inv = f64x2.splat(1 / scale);
  let k = 0;
  for (; k + 2 <= l + 1; k += 2) v128.store(row + (<usize>k << 3), f64x2.mul(v128.load(row + (<usize>k << 3)), inv));
  for (; k <= l; k++) store<f64>(row + (<usize>k << 3), load<f64>(row + (<usize>k << 3)) / scale);
  let h = dot(row, row, l + 1);
  const f = load<f64>(row + (<usize>l << 3));
  const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
  store<f64>(e + (<usize>i << 3), scale * g);
  h -= f * g;
  store<f64>(row + (<usize>l << 3), f - g);
  // p = A u / h over the leading (l+1)×(l+1) block, from its lower triangle by rows:
  // row j gives p[j] += a[j][0:j+1]·u[0:j+1] and p[0:j] += a[j][0:j]·u[j].
  memory.fill(p, 0, <usize>(l + 1) << 3);
  for (let j = 0; j <= l; j++) {
    const rj = at(a, n, j, 0);
    axpy(p, rj, load<f64>(row + (<usize>j << 3)), j);
    const pj = p + (<usize>j << 3);
    store<f64>(pj, load<f64>(pj) + dot(rj, row, j + 1));
  }
  const invH = 1 / h;
  let fSum: f64 = 0;
  for (let j = 0; j <= l; j++) {
    const pj = p + (<usize>j << 3);
    store<f64>(pj, load<f64>(pj) * invH);
    fSum += load<f64>(pj) * load<f64>(row + (<usize>j << 3));
  }
  axpy(p, row, -fSum / (h + h), l + 1);
  // A ← A − u pᵀ − p uᵀ on the lower triangle, row by row.
  for (let j = 0; j <= l; j++) {
    const rj = at(a, n, j, 0);
    axpy(rj, p, -load<f64>(row + (<usize>j << 3)), j + 1);
    axpy(rj, row, -load<f64>(p + (<usize>j << 3)), j + 1);
  }
}

/** y[0:count] += alpha · x[0:count]. */
@inline function axpy(y: usize, x: usize, alpha: f64, count: i32): void {
  const s = f64x2.splat(alpha);
  let q = 0;
  for (; q + 2 <= count; q += 2) {
    const o = <usize>q << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(v128.load(x + o), s)));
  }
  for (; q < count; q++) {
    const o = <usize>q << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}
