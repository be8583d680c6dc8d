/**
 * Resamples an interleaved 8-bit image with a triangle (bilinear) filter whose support
 * widens when shrinking, so that downscaling averages instead of aliasing (as PIL's
 * BILINEAR does). Separable: rows, then columns.
 */
export function resizeImage(
  pixels: Uint8Array,
  from: { readonly width: number; readonly height: number },
  to: { readonly width: number; readonly height: number },
  channels: number,
): Uint8Array {
  if (from.width === to.width && from.height === to.height) return pixels;
  const wide = resampleAxis(pixels, from.height, from.width, to.width, channels, 'x');
  return toBytes(resampleAxis(wide, from.height, to.width, to.height, channels, 'y'));
}

/** Crops the centered region of `from` that has the aspect ratio of `to`. */
export function centerCrop(
  pixels: Uint8Array,
  from: { readonly width: number; readonly height: number },
  to: { readonly width: number; readonly height: number },
  channels: number,
): { pixels: Uint8Array; width: number; height: number } {
  const scale = Math.min(from.width / to.width, from.height / to.height);
  const width = Math.min(from.width, Math.round(to.width * scale));
  const height = Math.min(from.height, Math.round(to.height * scale));
  if (width === from.width && height === from.height) return { pixels, width, height };
  const left = (from.width - width) >> 1;
  const top = (from.height - height) >> 1;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const start = ((top + y) * from.width + left) * channels;
    out.set(pixels.subarray(start, start + width * channels), y * width * channels);
  }
  return { pixels: out, width, height };
}

function resampleAxis(
  src: ArrayLike<number>,
  rows: number,
  cols: number,
  outLength: number,
  channels: number,
  axis: 'x' | 'y',
): Float32Array {
  const inLength = axis === 'x' ? cols : rows;
  const scale = inLength / outLength;
  const support = Math.max(1, scale);
  const out = new Float32Array(axis === 'x' ? rows * outLength * channels : outLength * cols * channels);
  for (let o = 0; o < outLength; o++) {
    const center = (o + 0.5) * scale - 0.5;
    const first = Math.max(0, Math.ceil(center - support));
    const last = Math.min(inLength - 1, Math.floor(center + support));
    const weights: number[] = [];
    let total = 0;
    for (let i = first; i <= last; i++) {
      const w = Math.max(0, 1 - Math.abs(i - center) / support);
      weights.push(w);
      total += w;
    }
    const lines = axis === 'x' ? rows : cols;
    for (let line = 0; line < lines; line++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) {
          const i = first + k;
          sum += weights[k]! * src[(axis === 'x' ? line * cols + i : i * cols + line) * channels + c]!;
        }
        const at = axis === 'x' ? (line * outLength + o) * channels + c : (o * cols + line) * channels + c;
        out[at] = sum / total;
      }
    }
  }
  return out;
}

function toBytes(values: Float32Array): Uint8Array {
  return Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round(v))));
}
