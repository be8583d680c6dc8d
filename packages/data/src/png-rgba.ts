import type { DecodedPng } from 'fast-png';

/**
 * A decoded PNG's pixels as 8-bit RGBA, whatever its color type (gray, gray + alpha, RGB,
 * RGBA, palette) and bit depth (1, 2, 4, 8 or 16): samples scaled to [0, 255], gray spread
 * to red, green and blue, alpha 255 where the image has none (0 for its transparent color).
 */
export function pngToRgba8(png: DecodedPng): Uint8Array {
  const { width, height, channels, depth, palette } = png;
  const sample = sampleReader(png);
  const max = 2 ** depth - 1;
  const out = new Uint8Array(width * height * 4);
  const values: number[] = new Array(channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) values[c] = sample(y, x * channels + c);
      out.set(palette === undefined ? scaledRgba(values, channels, max, png.transparency) : paletteRgba(palette, values[0]!, png.transparency), 4 * (y * width + x));
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

function scaledRgba(values: readonly number[], channels: number, max: number, transparency: Uint16Array | undefined): number[] {
  const color = channels >= 3 ? values.slice(0, 3) : [values[0]!, values[0]!, values[0]!];
  const hasAlpha = channels === 2 || channels === 4;
  const transparent = !hasAlpha && transparency !== undefined && color.slice(0, channels).every((v, c) => v === transparency[c]);
  const alpha = hasAlpha ? values[channels - 1]! : transparent ? 0 : max;
  return [...color, alpha].map((v) => Math.round((v * 255) / max));
}

/** A palette entry; its alpha from the entry itself or the tRNS chunk's alpha of that index, else opaque. */
function paletteRgba(palette: readonly (readonly number[])[], index: number, transparency: Uint16Array | undefined): number[] {
  const [r = 0, g = 0, b = 0, a = transparency?.[index] ?? 255] = palette[index] ?? [];
  return [r, g, b, a];
}
