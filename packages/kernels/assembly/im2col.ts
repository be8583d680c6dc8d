// Patch extraction for convolution as a matrix product, NHWC.
//
// im2col writes rows [row0, row1) of the (batch·outH·outW) × (kh·kw·c) patch matrix:
// row (b, oy, ox), column (ky, kx, ci) = x[b, oy·sh − top + ky·dh, ox·sw − left + kx·dw, ci],
// zero outside the image. col2im is its adjoint: it sums a patch matrix back into an image,
// for images [b0, b1), so that threads given disjoint images write disjoint memory.

export function im2col(
  x: usize, cols: usize,
  h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, top: i32, left: i32,
  oh: i32, ow: i32, row0: i32, row1: i32,
): void {
  const chunk = <usize>c << 2;
  const rowBytes = <usize>(kh * kw) * chunk;
  for (let r = row0; r < row1; r++) {
    const b = r / (oh * ow);
    const oy = (r / ow) % oh;
    const ox = r % ow;
    let dst = cols + <usize>r * rowBytes;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - top + ky * dh;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * sw - left + kx * dw;
        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
          memory.copy(dst, x + ((<usize>((b * h + iy) * w + ix) * c) << 2), chunk);
        } else {
          memory.fill(dst, 0, chunk);
        }
        dst += chunk;
      }
    }
  }
}

export function col2im(
  cols: usize, x: usize,
  h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, top: i32, left: i32,
  oh: i32, ow: i32, b0: i32, b1: i32,
): void {
  const imageBytes = <usize>(h * w * c) << 2;
  memory.fill(x + <usize>b0 * imageBytes, 0, <usize>(b1 - b0) * imageBytes);
  const vec = c & ~3;
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let src = cols + ((<usize>(((b * oh + oy) * ow + ox) * kh * kw) * c) << 2);
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - top + ky * dh;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw - left + kx * dw;
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
              const dst = x + ((<usize>((b * h + iy) * w + ix) * c) << 2);
              let q = 0;
              for (; q < vec; q += 4) {
                const o = <usize>q << 2;
                v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
              }
              for (; q < c; q++) {
                const o = <usize>q << 2;
                store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
              }
            }
            src += <usize>c << 2;
          }
        }
      }
    }
  }
}
