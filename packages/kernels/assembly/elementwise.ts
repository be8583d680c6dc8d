// Element-wise kernels and per-column sums of a training step, in float32 SIMD over ranges
// [i0, i1) of elements (or [j0, j1) of columns), so that threads can share one call.
// Column sums accumulate in float64.

/**
 * y = x·α where x < 0 (−0 included), else x; y may alias x. `wide`: the product in float64,
 * rounded once (as the cpu backend computes it), else in float32 (as the wasm backend does).
 */
export function leakyRelu(x: usize, y: usize, alpha: f64, wide: bool, i0: i32, i1: i32): void {
  const slope32 = f32x4.splat(<f32>alpha);
  const slope64 = f64x2.splat(alpha);
  const signs = i32x4.splat(i32.MIN_VALUE);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    let scaled = f32x4.mul(v, slope32);
    if (wide) {
      const low = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v), slope64));
      const high = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), slope64));
      scaled = i32x4.shuffle(low, high, 0, 1, 4, 5);
    }
    // The sign bit picks x·α, as `x < 0 ? x·α : x` would, for −0 too.
    const negative = i32x4.shr_s(v128.and(v, signs), 31);
    v128.store(y + o, v128.bitselect(scaled, v, negative));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(y + o, reinterpret<i32>(v) < 0 ? (wide ? <f32>(<f64>v * alpha) : v * <f32>alpha) : v);
  }
}

/** out = dy where x > 0, else dy·α (NaN in x gives dy·α, as tfjs's `where(x > 0, …)`). */
export function leakyReluGrad(dy: usize, x: usize, out: usize, alpha: f32, i0: i32, i1: i32): void {
  const slope = f32x4.splat(alpha);
  const zero = f32x4.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(dy + o);
    v128.store(out + o, v128.bitselect(g, f32x4.mul(g, slope), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(dy + o);
    store<f32>(out + o, load<f32>(x + o) > 0 ? g : g * alpha);
  }
}

/**
 * Adam's step in place on variable, m and v, each operation rounded to float32 as the
 * element-wise ops round it: m ← β₁m + k₁g, v ← β₂v + k₂g², x ← x − rate·m / (√v + ε).
 */
export function adamUpdate(x: usize, m: usize, v: usize, g: usize, beta1: f32, beta2: f32, keep1: f32, keep2: f32, rate: f32, epsilon: f32, i0: i32, i1: i32): void {
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), k1 = f32x4.splat(keep1), k2 = f32x4.splat(keep2);
  const r = f32x4.splat(rate), e = f32x4.splat(epsilon);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(v128.load(m + o), b1), f32x4.mul(gi, k1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(gi, gi), k2));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    v128.store(x + o, f32x4.sub(v128.load(x + o), f32x4.div(f32x4.mul(mi, r), f32x4.add(f32x4.sqrt(vi), e))));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = load<f32>(m + o) * beta1 + gi * keep1;
    const vi = load<f32>(v + o) * beta2 + gi * gi * keep2;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(x + o, load<f32>(x + o) - (mi * rate) / (Mathf.sqrt(vi) + epsilon));
  }
}

// Adds the four float32 lanes of `v` to the float64 accumulators at `acc`.
@inline function accumulate(acc: usize, v: v128): void {
  v128.store(acc, f64x2.add(v128.load(acc), f64x2.promote_low_f32x4(v)));
  v128.store(acc, f64x2.add(v128.load(acc, 16), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))), 16);
}

/**
 * Sums of an outer × count × inner array over its middle axis, for columns [j0, j1) of
 * inner: out[o, j] = Σ_r x[o, r, j] / divisor, each term divided in float32 before the sum
 * (as the cpu backend's Mean does; a divisor of 1 sums). `acc` holds `inner` float64 values.
 */
export function columnSums(x: usize, out: usize, acc: usize, outer: i32, count: i32, inner: i32, divisor: f32, j0: i32, j1: i32): void {
  const vecEnd = j0 + ((j1 - j0) & ~3);
  const d = f32x4.splat(divisor);
  for (let o = 0; o < outer; o++) {
    memory.fill(acc + (<usize>j0 << 3), 0, <usize>(j1 - j0) << 3);
    for (let r = 0; r < count; r++) {
      const row = x + ((<usize>(o * count + r) * inner) << 2);
      let j = j0;
      for (; j < vecEnd; j += 4) accumulate(acc + (<usize>j << 3), f32x4.div(v128.load(row + (<usize>j << 2)), d));
      for (; j < j1; j++) store<f64>(acc + (<usize>j << 3), load<f64>(acc + (<usize>j << 3)) + <f64>(load<f32>(row + (<usize>j << 2)) / divisor));
    }
    for (let j = j0; j < j1; j++) store<f32>(out + ((<usize>(o * inner + j)) << 2), <f32>load<f64>(acc + (<usize>j << 3)));
  }
}

/**
 * y = β + (x − μ)·γ / sd per channel (the last axis, `c` wide), for rows [row0, row1), in
 * float64 and rounded once, as the cpu backend computes it. `channels` holds 4c float64
 * values: μ, γ, sd = √(σ² + ε) and β.
 */
export function batchNorm(x: usize, y: usize, channels: usize, c: i32, row0: i32, row1: i32): void {
  const cb = <usize>c << 3;
  for (let r = row0; r < row1; r++) {
    const base = (<usize>r * c) << 2;
    let j = 0;
    for (; j + 2 <= c; j += 2) {
      const o = <usize>j << 3;
      const xv = f64x2.promote_low_f32x4(v128.load64_zero(x + base + (<usize>j << 2)));
      const scaled = f64x2.div(f64x2.mul(f64x2.sub(xv, v128.load(channels + o)), v128.load(channels + cb + o)), v128.load(channels + 2 * cb + o));
      v128.store64_lane(y + base + (<usize>j << 2), f32x4.demote_f64x2_zero(f64x2.add(v128.load(channels + 3 * cb + o), scaled)), 0);
    }
    for (; j < c; j++) {
      const o = <usize>j << 3;
      const v = load<f64>(channels + 3 * cb + o) + ((<f64>load<f32>(x + base + (<usize>j << 2)) - load<f64>(channels + o)) * load<f64>(channels + cb + o)) / load<f64>(channels + 2 * cb + o);
      store<f32>(y + base + (<usize>j << 2), <f32>v);
    }
  }
}

/**
 * Batch norm's gradient for channels [j0, j1) of `rows` × c, each term rounded as tfjs's own
 * gradient rounds it in float32 ops (r = 1/√(σ² + ε), h = −½r³ and γ come per channel in
 * `channels`: μ, r, h, γ, 4c float32 values): dx = (dy·r)·γ, and into `sums` (4c float64) the
 * per-channel sums of −r·(dy·γ) (∂μ), (h·(x − μ))·(dy·γ) (∂σ²), dy·((x − μ)·r) (∂γ) and dy (∂β).
 */
export function batchNormGrad(dy: usize, x: usize, dx: usize, channels: usize, sums: usize, rows: i32, c: i32, j0: i32, j1: i32): void {
  const cf = <usize>c << 2;
  const cd = <usize>c << 3;
  for (let t: usize = 0; t < 4; t++) memory.fill(sums + t * cd + (<usize>j0 << 3), 0, <usize>(j1 - j0) << 3);
  const vecEnd = j0 + ((j1 - j0) & ~3);
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * c) << 2;
    let j = j0;
    for (; j < vecEnd; j += 4) {
      const o = <usize>j << 2;
      const g = v128.load(dy + base + o);
      const rs = v128.load(channels + cf + o);
      const h = v128.load(channels + 2 * cf + o);
      const gamma = v128.load(channels + 3 * cf + o);
      const centred = f32x4.sub(v128.load(x + base + o), v128.load(channels + o));
      const scaled = f32x4.mul(g, gamma);
      v128.store(dx + base + o, f32x4.mul(f32x4.mul(g, rs), gamma));
      const a = sums + (<usize>j << 3);
      accumulate(a, f32x4.mul(f32x4.neg(rs), scaled));
      accumulate(a + cd, f32x4.mul(f32x4.mul(h, centred), scaled));
      accumulate(a + 2 * cd, f32x4.mul(g, f32x4.mul(centred, rs)));
      accumulate(a + 3 * cd, g);
    }
    for (; j < j1; j++) {
      const o = <usize>j << 2;
      const g = load<f32>(dy + base + o);
      const rs = load<f32>(channels + cf + o);
      const gamma = load<f32>(channels + 3 * cf + o);
      const centred = load<f32>(x + base + o) - load<f32>(channels + o);
      const scaled = g * gamma;
      store<f32>(dx + base + o, g * rs * gamma);
      const a = sums + (<usize>j << 3);
      store<f64>(a, load<f64>(a) + <f64>(-rs * scaled));
      store<f64>(a + cd, load<f64>(a + cd) + <f64>(load<f32>(channels + 2 * cf + o) * centred * scaled));
      store<f64>(a + 2 * cd, load<f64>(a + 2 * cd) + <f64>(g * (centred * rs)));
      store<f64>(a + 3 * cd, load<f64>(a + 3 * cd) + <f64>g);
    }
  }
}
