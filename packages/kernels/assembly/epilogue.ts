// Bias and activation applied in place to rows [row0, row1) of an m×n row-major matrix,
// for the fused conv and matmul kernels. `bias` is 0 for none; it broadcasts over rows.

export const LINEAR: i32 = 0;
export const RELU: i32 = 1;
export const RELU6: i32 = 2;
export const LEAKY_RELU: i32 = 3;
export const ELU: i32 = 4;
export const SIGMOID: i32 = 5;

export function biasActivation(y: usize, bias: usize, n: i32, activation: i32, alpha: f32, row0: i32, row1: i32): void {
  const vec = n & ~3;
  const zero = f32x4.splat(0);
  const six = f32x4.splat(6);
  const slope = f32x4.splat(alpha);
  for (let r = row0; r < row1; r++) {
    const row = y + ((<usize>r * n) << 2);
    let q = 0;
    if (activation <= LEAKY_RELU) {
      for (; q < vec; q += 4) {
        const o = <usize>q << 2;
        let v = v128.load(row + o);
        if (bias != 0) v = f32x4.add(v, v128.load(bias + o));
        if (activation == RELU) v = f32x4.max(v, zero);
        else if (activation == RELU6) v = f32x4.min(f32x4.max(v, zero), six);
        else if (activation == LEAKY_RELU) v = v128.bitselect(v, f32x4.mul(v, slope), f32x4.gt(v, zero));
        v128.store(row + o, v);
      }
    }
    for (; q < n; q++) {
      const o = <usize>q << 2;
      let v = load<f32>(row + o);
      if (bias != 0) v += load<f32>(bias + o);
      if (activation == RELU) v = max(v, 0);
      else if (activation == RELU6) v = min(max(v, 0), 6);
      else if (activation == LEAKY_RELU) v = v > 0 ? v : v * alpha;
      else if (activation == ELU) v = v > 0 ? v : Mathf.exp(v) - 1;
      else if (activation == SIGMOID) v = 1 / (1 + Mathf.exp(-v));
      store<f32>(row + o, v);
    }
  }
}
