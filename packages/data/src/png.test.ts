import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { DatasetFormatError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageGrid } from './image-grid.js';
import { decodePng, encodePng } from './png.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('PNG', () => {
  it.each([1, 3, 4] as const)('encodePng output decodes back to the same pixels (%i channels)', (channels) => {
    const [width, height] = [7, 5];
    const pixels = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37) % 256);
    const decoded = decodePng(encodePng({ width, height, channels, pixels }), channels);
    expect(decoded).toMatchObject({ width, height, channels });
    expect(Array.from(decoded.pixels)).toEqual(Array.from(pixels));
  });

  it('rejects bad input', () => {
    expect(() => encodePng({ width: 2, height: 2, channels: 3, pixels: new Uint8Array(11) })).toThrow(/expected 2×2×3 = 12 pixels, got 11/);
    expect(() => decodePng(Uint8Array.from([1, 2, 3]))).toThrow(DatasetFormatError);
  });
});

describe('imageGrid', () => {
  it('tiles images row by row with padding, mapping [-1, 1] to [0, 255]', async () => {
    const grid = await expectNoLeakedTensors(async () => {
      const images = tf.tensor4d([-1, 1, 0, 1], [4, 1, 1, 1]);
      const result = await imageGrid({ images, rows: 2, padding: 1, background: 9 });
      images.dispose();
      return result;
    });
    expect(grid).toMatchObject({ width: 5, height: 5, channels: 1 });
    // Layout: 2×2 images of 1 pixel with 1 pixel of background around and between.
    expect(Array.from(grid.pixels)).toEqual([
      9, 9, 9, 9, 9,
      9, 0, 9, 255, 9,
      9, 9, 9, 9, 9,
      9, 128, 9, 255, 9,
      9, 9, 9, 9, 9,
    ]);
  });
});
