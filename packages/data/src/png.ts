import { PNG } from 'pngjs';
import { DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';
import type { RasterImage } from './image-grid.js';

const colorTypes = { 1: 0, 3: 2, 4: 6 } as const; // grayscale, RGB, RGBA

/** PNG bytes of an 8-bit image (pngjs), keeping its channel count (gray, RGB or RGBA). */
export function encodePng(image: RasterImage): Uint8Array {
  const { width, height, channels, pixels } = image ?? ({} as RasterImage);
  if (!(channels in colorTypes)) throw new InvalidArgumentError(`encodePng: channels must be 1, 3 or 4, got ${channels}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || pixels?.length !== width * height * channels) {
    throw new InvalidArgumentError(`encodePng: expected ${width}×${height}×${channels} = ${width * height * channels} pixels, got ${pixels?.length}`);
  }
  const png = new PNG({ width, height, colorType: colorTypes[channels], inputColorType: 6, inputHasAlpha: true });
  // pngjs takes RGBA input and converts it to the output color type.
  for (let p = 0; p < width * height; p++) {
    const at = p * channels;
    const [r, g, b] = channels === 1 ? [pixels[at]!, pixels[at]!, pixels[at]!] : [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!];
    png.data.set([r, g, b, channels === 4 ? pixels[at + 3]! : 255], 4 * p);
  }
  return new Uint8Array(PNG.sync.write(png, { colorType: colorTypes[channels], inputColorType: 6, inputHasAlpha: true }));
}

/** Decodes PNG bytes to an 8-bit image with `channels` (default 4: RGBA; 1 takes the red channel of gray images). */
export function decodePng(bytes: Uint8Array, channels: 1 | 3 | 4 = 4): RasterImage {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new DatasetFormatError(`decodePng: not a valid PNG: ${(error as Error).message}`, { cause: error });
  }
  const pixels = new Uint8Array(png.width * png.height * channels);
  for (let p = 0; p < png.width * png.height; p++) {
    for (let k = 0; k < channels; k++) pixels[p * channels + k] = png.data[4 * p + k]!;
  }
  return { width: png.width, height: png.height, channels, pixels };
}

/** Writes an image as PNG, atomically: a temporary file next to `path`, then a rename. */
export async function writePng(path: string, image: RasterImage): Promise<void> {
  const bytes = encodePng(image);
  await writeAtomically(path, bytes);
}
