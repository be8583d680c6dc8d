import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import { denormalizeImages, type PixelRange } from './normalize.js';
import { pixelRangeSchema, positiveInt, tensor4dSchema } from './options.js';

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

const schema = z.strictObject({
  images: tensor4dSchema,
  rows: positiveInt.optional(),
  padding: z.int().min(0).max(1024).optional(),
  range: pixelRangeSchema.optional(),
  background: z.int().min(0).max(255).optional(),
});

/** Pixels of the largest grid imageGrid makes (a 16384 × 16384 RGBA image is 1 GiB). */
const maxGridPixels = 2 ** 28;

/** Tiles a batch of images into one picture, e.g. a sample grid to write as PNG. */
export async function imageGrid(options: ImageGridOptions): Promise<RasterImage> {
  const { images, rows, padding = 2, range = '[-1,1]', background = 255 } = parseOptions(schema, options, 'imageGrid');
  const [n, h, w, c] = images.shape;
  if (c !== 1 && c !== 3 && c !== 4) throw new InvalidArgumentError(`imageGrid: images must have 1, 3 or 4 channels, got ${c}`);
  if (n === 0) throw new InvalidArgumentError('imageGrid: images must hold at least one image, got a batch of 0');
  const r = rows ?? Math.max(1, Math.floor(Math.sqrt(n)));
  const columns = Math.ceil(n / r);
  const width = columns * w + (columns + 1) * padding;
  const height = r * h + (r + 1) * padding;
  if (width * height > maxGridPixels) {
    throw new InvalidArgumentError(`imageGrid: a ${width}×${height} grid is more than ${maxGridPixels} pixels; use fewer images or less padding`);
  }
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
