import { decode, encode, type DecodedPng } from 'fast-png';
import { DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import type { RasterImage } from './image-grid.js';
import { pngToRgba8 } from './png-rgba.js';

/** PNG bytes of an 8-bit image (fast-png), keeping its channel count (gray, RGB or RGBA). */
export function encodePng(image: RasterImage): Uint8Array {
  const { width, height, channels, pixels } = image ?? ({} as RasterImage);
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new InvalidArgumentError(`encodePng: channels must be 1, 3 or 4, got ${channels}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || pixels?.length !== width * height * channels) {
    throw new InvalidArgumentError(`encodePng: expected ${width}×${height}×${channels} = ${width * height * channels} pixels, got ${pixels?.length}`);
  }
  return encode({ width, height, data: pixels, channels, depth: 8 });
}

/** Decodes PNG bytes (any color type and bit depth) to an 8-bit image with `channels` (default 4: RGBA; 1 takes the red channel of gray images). */
export function decodePng(bytes: Uint8Array, channels: 1 | 3 | 4 = 4): RasterImage {
  let png: DecodedPng;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new DatasetFormatError(`decodePng: not a valid PNG: ${(error as Error).message}`, { cause: error });
  }
  const rgba = pngToRgba8(png);
  if (channels === 4) return { width: png.width, height: png.height, channels, pixels: rgba };
  const pixels = new Uint8Array(png.width * png.height * channels);
  for (let p = 0; p < png.width * png.height; p++) {
    for (let k = 0; k < channels; k++) pixels[p * channels + k] = rgba[4 * p + k]!;
  }
  return { width: png.width, height: png.height, channels, pixels };
}
