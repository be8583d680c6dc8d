import jpeg from 'jpeg-js';
import { DatasetFormatError } from '@dgm/core';
import { decodePng } from './png.js';

/** An 8-bit RGBA image. */
export interface RgbaImage {
  readonly rgba: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Decodes PNG or JPEG bytes (told apart by `name`'s extension) to RGBA; `name` also labels
 * errors. An image that declares more than `maxPixels` is refused from its header (PNG IHDR,
 * JPEG frame header), before its pixels are allocated.
 */
export function decodeImage(bytes: Uint8Array, name: string, maxPixels: number): RgbaImage {
  try {
    if (name.toLowerCase().endsWith('.png')) {
      const png = decodePng(bytes, { channels: 4, maxPixels });
      return { rgba: png.pixels, width: png.width, height: png.height };
    }
    const image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: Math.ceil((8 * maxPixels) / 2 ** 20) + 64,
    });
    return { rgba: image.data, width: image.width, height: image.height };
  } catch (error) {
    const message = (error as Error).message;
    if (/maxResolutionInMP|maxMemoryUsageInMB/.test(message)) {
      throw new DatasetFormatError(`cannot decode ${name}: the JPEG declares more than maxPixels = ${maxPixels} pixels (${message}); pass a larger maxPixels to read it`, {
        cause: error,
      });
    }
    throw new DatasetFormatError(`cannot decode ${name}: ${message}`, { cause: error });
  }
}
