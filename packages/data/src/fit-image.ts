import type { ImageShape } from '@dgm/core';
import type { RgbaImage } from './decode-image.js';
import { centerCrop, resizeImage } from './resize.js';

/** How an image is brought to another aspect ratio: 'cover' crops its center first, 'stretch' only resizes. */
export type ImageFit = 'cover' | 'stretch';

/** An RGBA image brought to `shape`: cropped (for 'cover'), resized, then to 1 (luma), 3 or 4 channels. */
export function fitImage(image: RgbaImage, [height, width, channels]: ImageShape, fit: ImageFit): Uint8Array {
  const target = { width, height };
  const cropped = fit === 'cover' ? centerCrop(image.rgba, image, target, 4) : { pixels: image.rgba, ...image };
  return toChannels(resizeImage(cropped.pixels, cropped, target, 4), channels);
}

/** RGBA to 1 (ITU-R 601 luma), 3 or 4 channels. */
function toChannels(rgba: Uint8Array, channels: number): Uint8Array {
  if (channels === 4) return rgba;
  const n = rgba.length / 4;
  const out = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    const [r, g, b] = [rgba[4 * p]!, rgba[4 * p + 1]!, rgba[4 * p + 2]!];
    if (channels === 1) out[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    else out.set([r, g, b], 3 * p);
  }
  return out;
}
