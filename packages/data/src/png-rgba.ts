import type { DecodedPng } from 'fast-png';

/**
 * A decoded PNG's pixels as 8-bit RGBA, whatever its color type (gray, gray + alpha, RGB,
 * RGBA, palette) and bit depth (1, 2, 4, 8 or 16): samples scaled to [0, 255], gray spread
 * to red, green and blue, alpha 255 where the image has none (0 for its transparent color).
 * Writes straight into the output, with no array per pixel.
 */
export function pngToRgba8(png: DecodedPng): Uint8Array {
  const { width, height, channels, depth, palette, transparency } = png;
  const sample = sampleReader(png);
  const max = 2 ** depth - 1;
  const scale = (v: number) => Math.round((v * 255) / max);
  const hasAlpha = channels === 2 || channels === 4;
  const colorChannels = hasAlpha ? channels - 1 : channels;
  const colorKey = !hasAlpha && palette === undefined ? transparency : undefined;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x);
      const first = x * channels;
      if (palette !== undefined) {
        // A palette entry; its alpha from the tRNS chunk (fast-png appends it to the entry), else opaque.
        const index = sample(y, first);
        const [r = 0, g = 0, b = 0, a = transparency?.[index] ?? 255] = palette[index] ?? [];
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
        out[o + 3] = a;
        continue;
      }
      let keyed = colorKey !== undefined;
      for (let c = 0; c < 3; c++) {
        const k = colorChannels === 1 ? 0 : c;
        const v = sample(y, first + k);
        out[o + c] = scale(v);
        if (keyed && v !== colorKey![k]) keyed = false;
      }
      out[o + 3] = hasAlpha ? scale(sample(y, first + channels - 1)) : keyed ? 0 : 255;
    }
  }
  return out;
}

/** The sample at index `i` of row `y`: rows of packed samples (below 8 bits), each starting on a byte. */
function sampleReader({ data, width, channels, depth }: DecodedPng): (y: number, i: number) => number {
  if (depth >= 8) return (y, i) => data[y * width * channels + i]!;
  const bytesPerRow = Math.ceil((depth * channels * width) / 8);
  const perByte = 8 / depth;
  const mask = 2 ** depth - 1;
  return (y, i) => (data[y * bytesPerRow + Math.floor(i / perByte)]! >> (8 - depth * ((i % perByte) + 1))) & mask;
}
