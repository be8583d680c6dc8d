// Matrix products on WebAssembly SIMD, in float32 (training kernels) and float64 (statistics):
// packed panels and a register tile of 4 rows × two vectors (4×8 for f32, 4×4 for f64), K
// blocked by 256 (f32) or 128 (f64); the f64 product also blocks N by 512 so that a packed
// block of B stays in L2. (Tile and blocks measured fastest on V8 among 3–8 × 8–16.)
//
// C[i0:i1, j0:j1] = alpha · op(A) · op(B) (+ C when `accumulate`), where op(A) is m×k, op(B)
// is k×n, all row-major with leading dimensions lda, ldb, ldc (in elements). Pointers are
// byte offsets in linear memory. `work` must hold gemmWorkFloats(j1 − j0) (or
// dgemmWorkFloats) floats; each thread passes its own.

const MR: i32 = 4;

// Columns of the tile: two vectors.
@inline function nr<T>(): i32 {
  return 32 / sizeof<T>();
}
@inline function kc<T>(): i32 {
  return sizeof<T>() == 4 ? 256 : 128;
}
@inline function nc<T>(): i32 {
  return sizeof<T>() == 4 ? i32.MAX_VALUE : 512;
}

/** Scratch of a product over `cols` columns, in float32 units. */
@inline function workFloats<T>(cols: i32): i32 {
  const NR = nr<T>();
  const panelCols = ((min(nc<T>(), cols) + NR - 1) / NR) * NR;
  return <i32>((kc<T>() * panelCols + kc<T>() * MR + MR * NR) * sizeof<T>() / 4);
}

export function gemmWorkFloats(cols: i32): i32 {
  return workFloats<f32>(cols);
}

export function dgemmWorkFloats(cols: i32): i32 {
  return workFloats<f64>(cols);
}

export function gemm(
  a: usize, b: usize, c: usize,
  k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: bool, transB: bool, accumulate: bool,
  i0: i32, i1: i32, j0: i32, j1: i32,
  work: usize,
): void {
  product<f32>(a, b, c, k, lda, ldb, ldc, transA, transB, accumulate, 1, i0, i1, j0, j1, work);
}

export function dgemm(
  a: usize, b: usize, c: usize,
  k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: bool, transB: bool, accumulate: bool, alpha: f64,
  i0: i32, i1: i32, j0: i32, j1: i32,
  work: usize,
): void {
  product<f64>(a, b, c, k, lda, ldb, ldc, transA, transB, accumulate, alpha, i0, i1, j0, j1, work);
}

@inline function product<T>(
  a: usize, b: usize, c: usize,
  k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: bool, transB: bool, accumulate: bool, alpha: T,
  i0: i32, i1: i32, j0: i32, j1: i32,
  work: usize,
): void {
  if (i1 <= i0 || j1 <= j0) return;
  const size = <usize>sizeof<T>();
  if (k == 0) {
    if (!accumulate) for (let i = i0; i < i1; i++) memory.fill(c + (<usize>i * ldc + j0) * size, 0, <usize>(j1 - j0) * size);
    return;
  }
  const NR = nr<T>();
  const KC = kc<T>();
  const packedB = work;
  const packedA = work + <usize>(KC * (((min(nc<T>(), j1 - j0) + NR - 1) / NR) * NR)) * size;
  const tile = packedA + <usize>(KC * MR) * size;
  // (jc = jEnd, not jc += NC: for f32 NC is i32.MAX_VALUE, and the sum would wrap.)
  for (let jc = j0, jEnd = 0; jc < j1; jc = jEnd) {
    jEnd = <i32>min(<i64>jc + nc<T>(), j1);
    for (let k0 = 0; k0 < k; k0 += KC) {
      const depth = min(KC, k - k0);
      const add = accumulate || k0 > 0;
      packB<T>(b, ldb, transB, k0, depth, jc, jEnd, packedB);
      for (let i = i0; i < i1; i += MR) {
        const rows = min(MR, i1 - i);
        packA<T>(a, lda, transA, i, rows, k0, depth, alpha, packedA);
        for (let j = jc; j < jEnd; j += NR) {
          microTile<T>(packedA, packedB + <usize>((j - jc) / NR * depth * NR) * size, depth, c, ldc, i, j, rows, min(NR, jEnd - j), add, tile);
        }
      }
    }
  }
}

// B[k0:k0+depth, j0:j1] into panels of NR columns: panel q holds `depth` rows of NR values.
@inline function packB<T>(b: usize, ldb: i32, transB: bool, k0: i32, depth: i32, j0: i32, j1: i32, dst: usize): void {
  const NR = nr<T>();
  const size = <usize>sizeof<T>();
  for (let j = j0; j < j1; j += NR) {
    const panel = dst + <usize>((j - j0) / NR * depth * NR) * size;
    const cols = min(NR, j1 - j);
    for (let p = 0; p < depth; p++) {
      const d = panel + <usize>(p * NR) * size;
      if (!transB && cols == NR) {
        const src = b + (<usize>(k0 + p) * ldb + j) * size;
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      } else {
        for (let q = 0; q < NR; q++) {
          let v: T = 0;
          if (q < cols) v = transB ? load<T>(b + (<usize>(j + q) * ldb + k0 + p) * size) : load<T>(b + (<usize>(k0 + p) * ldb + j + q) * size);
          store<T>(d + <usize>q * size, v);
        }
      }
    }
  }
}

// alpha · A[i:i+MR, k0:k0+depth] interleaved: for each p, the MR values of column p (zero past `rows`).
@inline function packA<T>(a: usize, lda: i32, transA: bool, i: i32, rows: i32, k0: i32, depth: i32, alpha: T, dst: usize): void {
  const size = <usize>sizeof<T>();
  if (transA && rows == MR) {
    const scale = v128.splat<T>(alpha);
    for (let p = 0; p < depth; p++) {
      const src = a + (<usize>(k0 + p) * lda + i) * size;
      const d = dst + <usize>(p * MR) * size;
      if (alpha == 1) {
        v128.store(d, v128.load(src));
        if (size == 8) v128.store(d, v128.load(src, 16), 16);
      } else {
        v128.store(d, v128.mul<T>(v128.load(src), scale));
        if (size == 8) v128.store(d, v128.mul<T>(v128.load(src, 16), scale), 16);
      }
    }
    return;
  }
  for (let r = 0; r < MR; r++) {
    if (r < rows) {
      if (transA) {
        for (let p = 0; p < depth; p++) store<T>(dst + <usize>(p * MR + r) * size, alpha * load<T>(a + (<usize>(k0 + p) * lda + i + r) * size));
      } else {
        const src = a + (<usize>(i + r) * lda + k0) * size;
        for (let p = 0; p < depth; p++) store<T>(dst + <usize>(p * MR + r) * size, alpha * load<T>(src + <usize>p * size));
      }
    } else {
      for (let p = 0; p < depth; p++) store<T>(dst + <usize>(p * MR + r) * size, 0);
    }
  }
}

@inline function microTile<T>(ap: usize, bp: usize, depth: i32, c: usize, ldc: i32, i: i32, j: i32, rows: i32, cols: i32, add: bool, tile: usize): void {
  const size = <usize>sizeof<T>();
  const NR = nr<T>();
  let c00 = v128.splat<T>(0), c01 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0), c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0), c21 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0), c31 = v128.splat<T>(0);
  for (let p = 0; p < depth; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load_splat<T>(ap);
    const a1 = v128.load_splat<T>(ap, sizeof<T>());
    const a2 = v128.load_splat<T>(ap, 2 * sizeof<T>());
    const a3 = v128.load_splat<T>(ap, 3 * sizeof<T>());
    c00 = v128.add<T>(c00, v128.mul<T>(a0, b0)); c01 = v128.add<T>(c01, v128.mul<T>(a0, b1));
    c10 = v128.add<T>(c10, v128.mul<T>(a1, b0)); c11 = v128.add<T>(c11, v128.mul<T>(a1, b1));
    c20 = v128.add<T>(c20, v128.mul<T>(a2, b0)); c21 = v128.add<T>(c21, v128.mul<T>(a2, b1));
    c30 = v128.add<T>(c30, v128.mul<T>(a3, b0)); c31 = v128.add<T>(c31, v128.mul<T>(a3, b1));
    ap += <usize>MR * size;
    bp += <usize>NR * size;
  }
  const stride = <usize>ldc * size;
  if (rows == MR && cols == NR) {
    let cp = c + (<usize>i * ldc + j) * size;
    if (add) {
      v128.store(cp, v128.add<T>(v128.load(cp), c00)); v128.store(cp, v128.add<T>(v128.load(cp, 16), c01), 16); cp += stride;
      v128.store(cp, v128.add<T>(v128.load(cp), c10)); v128.store(cp, v128.add<T>(v128.load(cp, 16), c11), 16); cp += stride;
      v128.store(cp, v128.add<T>(v128.load(cp), c20)); v128.store(cp, v128.add<T>(v128.load(cp, 16), c21), 16); cp += stride;
      v128.store(cp, v128.add<T>(v128.load(cp), c30)); v128.store(cp, v128.add<T>(v128.load(cp, 16), c31), 16);
    } else {
      v128.store(cp, c00); v128.store(cp, c01, 16); cp += stride;
      v128.store(cp, c10); v128.store(cp, c11, 16); cp += stride;
      v128.store(cp, c20); v128.store(cp, c21, 16); cp += stride;
      v128.store(cp, c30); v128.store(cp, c31, 16);
    }
    return;
  }
  // Edge tile: spill the accumulators and write back only the valid part.
  v128.store(tile, c00); v128.store(tile, c01, 16); v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80); v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const cp = c + (<usize>(i + r) * ldc + j + q) * size;
      const v = load<T>(tile + <usize>(r * NR + q) * size);
      store<T>(cp, add ? load<T>(cp) + v : v);
    }
  }
}

// The float32 product with B packed once for every thread (a call split by rows would
// otherwise pack all of B again in each chunk): packB32 writes panels [q0, q1) of NR columns
// for every K block (block k0 starts at k0·panels·NR floats, its panel q at q·depth·NR);
// gemmPacked then computes rows [i0, i1) of C from them. `work` holds gemmWorkFloats(0).

export function packB32(b: usize, ldb: i32, transB: bool, k: i32, n: i32, q0: i32, q1: i32, dst: usize): void {
  const NR = nr<f32>();
  const panels = (n + NR - 1) / NR;
  for (let k0 = 0; k0 < k; k0 += kc<f32>()) {
    const depth = min(kc<f32>(), k - k0);
    const block = dst + (<usize>k0 * panels * NR << 2);
    packB<f32>(b, ldb, transB, k0, depth, q0 * NR, min(q1 * NR, n), block + (<usize>(q0 * depth * NR) << 2));
  }
}

export function gemmPacked(
  a: usize, packed: usize, c: usize,
  k: i32, n: i32, lda: i32, ldc: i32,
  transA: bool, accumulate: bool,
  i0: i32, i1: i32,
  work: usize,
): void {
  if (i1 <= i0 || n <= 0) return;
  if (k == 0) {
    if (!accumulate) for (let i = i0; i < i1; i++) memory.fill(c + (<usize>i * ldc << 2), 0, <usize>n << 2);
    return;
  }
  const NR = nr<f32>();
  const KC = kc<f32>();
  const panels = (n + NR - 1) / NR;
  const packedA = work;
  const tile = packedA + (<usize>(KC * MR) << 2);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const depth = min(KC, k - k0);
    const add = accumulate || k0 > 0;
    const block = packed + (<usize>k0 * panels * NR << 2);
    for (let i = i0; i < i1; i += MR) {
      const rows = min(MR, i1 - i);
      packA<f32>(a, lda, transA, i, rows, k0, depth, 1, packedA);
      for (let q = 0; q < panels; q++) {
        microTile<f32>(packedA, block + (<usize>(q * depth * NR) << 2), depth, c, ldc, i, q * NR, rows, min(NR, n - q * NR), add, tile);
      }
    }
  }
}
