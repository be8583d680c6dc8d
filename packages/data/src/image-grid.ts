import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@dgm/core';
import { denormalizeImages, type PixelRange } from './normalize.js';

/** An 8-bit image, pixels row by row, channels interleaved. */
export interface RasterImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
  readonly pixels: Uint8Array;
  /** Text to keep with the image: a PNG's tEXt chunks, keyword (1–79 Latin-1 characters) → Latin-1 text. */
  readonly text?: Readonly<Record<string, string>>;
}

export interface ImageGridOptions {
  /** [n, h, w, c] images in `range`. */
  readonly images: tf.Tensor4D;
  /** Default: as square as possible. */
  readonly rows?: number;
  /** Pixels between images and around the grid. Default 2. */
  readonly padding?: number;
  /** Default '[-1,1]'. */
  readonly range?: PixelRange;
  /** Gray level (0–255) of the padding. Default 255. */
  readonly background?: number;
}

/** Tiles a batch of images into one picture, e.g. a sample grid to write as PNG. */
export async function imageGrid({ images, rows, padding = 2, range = '[-1,1]', background = 255 }: ImageGridOptions): Promise<RasterImage> {
  if (!(images instanceof tf.Tensor) || images.rank !== 4) throw new InvalidArgumentError('imageGrid: images must be a rank-4 tensor [n, h, w, c]');
  const [n, h, w, c] = images.shape;
  if (c !== 1 && c !== 3 && c !== 4) throw new InvalidArgumentError(`imageGrid: images must have 1, 3 or 4 channels, got ${c}`);
  const r = rows ?? Math.max(1, Math.floor(Math.sqrt(n)));
  if (!Number.isInteger(r) || r < 1) throw new InvalidArgumentError(`imageGrid: rows must be a positive integer, got ${rows}`);
  const columns = Math.ceil(n / r);
  const width = columns * w + (columns + 1) * padding;
  const height = r * h + (r + 1) * padding;
  const bytes = tf.tidy(() => tf.round(denormalizeImages({ images, range })));
  const values = await bytes.data();
  bytes.dispose();
  const pixels = new Uint8Array(width * height * c).fill(background);
  for (let i = 0; i < n; i++) {
    const top = padding + Math.floor(i / columns) * (h + padding);
    const left = padding + (i % columns) * (w + padding);
    for (let y = 0; y < h; y++) {
      const src = ((i * h + y) * w) * c;
      pixels.set(values.subarray(src, src + w * c), ((top + y) * width + left) * c);
    }
  }
  return { width, height, channels: c, pixels };
}
