import jpeg from 'jpeg-js';
import { DatasetFormatError } from '@dgm/core';
import { decodePng } from './png.js';

/** An 8-bit RGBA image. */
export interface RgbaImage {
  readonly rgba: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Decodes PNG or JPEG bytes (told apart by `name`'s extension) to RGBA; `name` also labels errors. */
export function decodeImage(bytes: Uint8Array, name: string): RgbaImage {
  try {
    if (name.toLowerCase().endsWith('.png')) {
      const png = decodePng(bytes, 4);
      return { rgba: png.pixels, width: png.width, height: png.height };
    }
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { rgba: image.data, width: image.width, height: image.height };
  } catch (error) {
    throw new DatasetFormatError(`cannot decode ${name}: ${(error as Error).message}`, { cause: error });
  }
}
