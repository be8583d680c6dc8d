import { decode, encode, type DecodedPng } from 'fast-png';
import * as z from 'zod';
import { DatasetFormatError, describeValue, InvalidArgumentError, parseOptions, isPlainObject } from '@dgm/core';
import type { RasterImage } from './image-grid.js';

import { checkPngSize, readPngHeader } from './png-header.js';
import { pngToRgba8 } from './png-rgba.js';

/** Pixels a PNG may declare before decodePng refuses it, unless `maxPixels` says otherwise: 64 Mpx (256 MiB as RGBA). */
export const defaultMaxPixels = 2 ** 26;

export interface DecodePngOptions {
  /** 1, 3 or 4; default the PNG's own count (see decodePng). */
  readonly channels?: 1 | 3 | 4;
  /** Largest width × height accepted, checked from the IHDR chunk before decoding. Default 64 Mpx (2^26). */
  readonly maxPixels?: number;
}

const imageSchema = z.strictObject({
  width: z.int().min(1).max(65536),
  height: z.int().min(1).max(65536),
  channels: z.literal([1, 3, 4]),
  pixels: z.custom<Uint8Array>((v) => v instanceof Uint8Array, { error: 'expected a Uint8Array of 8-bit samples' }),
  text: z.custom<Readonly<Record<string, string>>>(isPlainObject, { error: 'expected an object of keyword → text' }).optional(),
});

const decodeSchema = z.strictObject({
  channels: z.literal([1, 3, 4]).optional(),
  maxPixels: z.int().min(1).optional(),
});

/**
 * PNG bytes of an 8-bit image (fast-png), keeping its channel count (gray, RGB or RGBA), with
 * the image's `text` as tEXt chunks.
 */
export function encodePng(image: RasterImage): Uint8Array {
  const { width, height, channels, pixels, text } = parseOptions(imageSchema, image, 'encodePng');
  if (pixels.length !== width * height * channels) {
    throw new InvalidArgumentError(`encodePng: expected ${width}×${height}×${channels} = ${width * height * channels} pixels, got ${pixels?.length}`);
  }
  if (text !== undefined) checkText(text);
  return encode({ width, height, data: pixels, channels, depth: 8, ...(text === undefined ? {} : { text: { ...text } }) });
}

/**
 * Decodes PNG bytes (any color type and bit depth) to an 8-bit image with `channels`, by
 * default the PNG's own count, or where it has none of 1, 3 and 4 the nearest that loses
 * nothing: gray → 1, RGB → 3, RGBA → 4, gray + alpha → 4, palette → 3 (4 when it has a tRNS
 * chunk); gray or RGB with a tRNS transparent color → 4 (alpha 0 on that color). Asked for
 * fewer channels, 1 keeps the red channel (the gray of gray images) and 3 drops alpha; asked
 * for more, gray is spread to red, green and blue and alpha is 255. The PNG's tEXt chunks
 * come back as `text`.
 *
 * The second argument is the channel count or `{ channels, maxPixels }`: a PNG whose IHDR
 * declares more than `maxPixels` (default 64 Mpx), or whose compressed data is more than its
 * pixels could need, is refused with a DatasetFormatError before anything is inflated.
 */
export function decodePng(bytes: Uint8Array, options?: 1 | 3 | 4 | DecodePngOptions): RasterImage {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError(`decodePng: bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  if (options !== undefined && typeof options !== 'object' && options !== 1 && options !== 3 && options !== 4) {
    throw new InvalidArgumentError(`decodePng: channels must be 1, 3 or 4 (or omitted for the PNG's own), got ${describeValue(options)}`);
  }
  const { channels, maxPixels = defaultMaxPixels } =
    options === undefined ? {} : typeof options === 'number' ? { channels: options } : parseOptions(decodeSchema, options, 'decodePng');
  const header = readPngHeader(bytes, 'decodePng');
  if (header !== undefined) checkPngSize(header, 'decodePng', maxPixels);
  let png: DecodedPng;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new DatasetFormatError(`decodePng: not a valid PNG: ${(error as Error).message}`, { cause: error });
  }
  const wanted = channels ?? ownChannels(png);
  const { width, height } = png;
  const text = Object.keys(png.text ?? {}).length > 0 ? { text: png.text } : {};
  // 8-bit samples already laid out as asked: a plain copy.
  if (png.depth === 8 && png.palette === undefined && png.channels === wanted) {
    return { width, height, channels: wanted, pixels: new Uint8Array(png.data), ...text };
  }
  const rgba = pngToRgba8(png);
  if (wanted === 4) return { width, height, channels: wanted, pixels: rgba, ...text };
  const pixels = new Uint8Array(width * height * wanted);
  for (let p = 0; p < width * height; p++) {
    for (let k = 0; k < wanted; k++) pixels[p * wanted + k] = rgba[4 * p + k]!;
  }
  return { width, height, channels: wanted, pixels, ...text };
}

/** The PNG's own channel count, or the nearest of 1, 3 and 4 that loses nothing. */
function ownChannels({ channels, palette, transparency }: DecodedPng): 1 | 3 | 4 {
  if (palette !== undefined) return palette.some((entry) => entry.length > 3) ? 4 : 3;
  if (channels === 2 || channels === 4 || transparency !== undefined) return 4;
  return channels === 1 ? 1 : 3;
}

/** tEXt keywords are 1 to 79 Latin-1 characters, texts Latin-1. */
function checkText(text: Readonly<Record<string, string>>): void {
  for (const [keyword, value] of Object.entries(text)) {
    if (!/^[\u0020-\u007e\u00a1-\u00ff]{1,79}$/.test(keyword)) {
      throw new InvalidArgumentError(`encodePng: a text keyword must be 1 to 79 printable Latin-1 characters, got ${JSON.stringify(keyword)}`);
    }
    if (typeof value !== 'string' || /[\u0100-\uffff]/.test(value)) {
      throw new InvalidArgumentError(`encodePng: text ${JSON.stringify(keyword)} must be a Latin-1 string (escape other characters), got ${describeValue(value)}`);
    }
  }
}
