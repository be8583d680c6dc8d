// Single-precision matrix product on WebAssembly SIMD: packed panels, a 4×8 register tile,
// K blocked by 256 (the tile shape and block measured fastest on V8 among 3–8 × 8–16).
//
// C[i0:i1, j0:j1] (+)= op(A) · op(B), where op(A) is m×k, op(B) is k×n, all row-major with
// leading dimensions lda, ldb, ldc (in elements). Pointers are byte offsets in linear memory.
// `work` must hold gemmWorkFloats(j1 − j0) floats; each thread passes its own.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;

export function gemmWorkFloats(cols: i32): i32 {
  const panels = (cols + NR - 1) / NR;
  return KC * panels * NR + KC * MR + MR * NR;
}

export function gemm(
  a: usize, b: usize, c: usize,
  k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: bool, transB: bool, accumulate: bool,
  i0: i32, i1: i32, j0: i32, j1: i32,
  work: usize,
): void {
  if (i1 <= i0 || j1 <= j0) return;
  if (k == 0) {
    if (!accumulate) for (let i = i0; i < i1; i++) memory.fill(c + ((<usize>i * ldc + j0) << 2), 0, <usize>(j1 - j0) << 2);
    return;
  }
  const cols = j1 - j0;
  const packedB = work;
  const packedA = work + (<usize>(KC * ((cols + NR - 1) / NR) * NR) << 2);
  const tile = packedA + (<usize>(KC * MR) << 2);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    const add = accumulate || k0 > 0;
    packB(b, ldb, transB, k0, kc, j0, j1, packedB);
    for (let i = i0; i < i1; i += MR) {
      const rows = min(MR, i1 - i);
      packA(a, lda, transA, i, rows, k0, kc, packedA);
      for (let j = j0; j < j1; j += NR) {
        microTile(packedA, packedB + (<usize>((j - j0) / NR * kc * NR) << 2), kc, c, ldc, i, j, rows, min(NR, j1 - j), add, tile);
      }
    }
  }
}

// B[k0:k0+kc, j0:j1] into panels of NR columns: panel q holds kc rows of NR floats.
@inline function packB(b: usize, ldb: i32, transB: bool, k0: i32, kc: i32, j0: i32, j1: i32, dst: usize): void {
  for (let j = j0; j < j1; j += NR) {
    const panel = dst + (<usize>((j - j0) / NR * kc * NR) << 2);
    const cols = min(NR, j1 - j);
    for (let p = 0; p < kc; p++) {
      const d = panel + (<usize>(p * NR) << 2);
      if (!transB && cols == NR) {
        const src = b + ((<usize>(k0 + p) * ldb + j) << 2);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      } else {
        for (let q = 0; q < NR; q++) {
          let v: f32 = 0;
          if (q < cols) v = transB ? load<f32>(b + ((<usize>(j + q) * ldb + k0 + p) << 2)) : load<f32>(b + ((<usize>(k0 + p) * ldb + j + q) << 2));
          store<f32>(d + (<usize>q << 2), v);
        }
      }
    }
  }
}

// A[i:i+MR, k0:k0+kc] interleaved: for each p, the MR values of column p (zero past `rows`).
@inline function packA(a: usize, lda: i32, transA: bool, i: i32, rows: i32, k0: i32, kc: i32, dst: usize): void {
  if (transA && rows == MR) {
    for (let p = 0; p < kc; p++) v128.store(dst + (<usize>(p * MR) << 2), v128.load(a + ((<usize>(k0 + p) * lda + i) << 2)));
    return;
  }
  for (let r = 0; r < MR; r++) {
    if (r < rows) {
      if (transA) {
        for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * MR + r) << 2), load<f32>(a + ((<usize>(k0 + p) * lda + i + r) << 2)));
      } else {
        const src = a + ((<usize>(i + r) * lda + k0) << 2);
        for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * MR + r) << 2), load<f32>(src + (<usize>p << 2)));
      }
    } else {
      for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * MR + r) << 2), 0);
    }
  }
}

@inline function microTile(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, i: i32, j: i32, rows: i32, cols: i32, add: bool, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    const a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8);
    const a3 = v128.load32_splat(ap, 12);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    ap += MR << 2;
    bp += NR << 2;
  }
  const stride = <usize>ldc << 2;
  if (rows == MR && cols == NR) {
    let cp = c + ((<usize>i * ldc + j) << 2);
    if (add) {
      v128.store(cp, f32x4.add(v128.load(cp), c00)); v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16); cp += stride;
      v128.store(cp, f32x4.add(v128.load(cp), c10)); v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16); cp += stride;
      v128.store(cp, f32x4.add(v128.load(cp), c20)); v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16); cp += stride;
      v128.store(cp, f32x4.add(v128.load(cp), c30)); v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
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
      const cp = c + ((<usize>(i + r) * ldc + j + q) << 2);
      const v = load<f32>(tile + (<usize>(r * NR + q) << 2));
      store<f32>(cp, add ? load<f32>(cp) + v : v);
    }
  }
}
