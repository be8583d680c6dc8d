import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { encode, type ImageData } from 'fast-png';
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
    const png = encodePng({ width: 1, height: 1, channels: 1, pixels: new Uint8Array(1) });
    expect(() => decodePng(png, 2 as never)).toThrow(InvalidArgumentError);
    expect(() => decodePng(png, 2 as never)).toThrow(/channels must be 1, 3 or 4 \(or omitted for the PNG's own\), got number 2/);
    expect(() => decodePng([1, 2] as never)).toThrow(/bytes must be a Uint8Array, got an array of 2/);
    const image = { width: 1, height: 1, channels: 1, pixels: new Uint8Array(1) } as const;
    expect(() => encodePng({ ...image, text: { '': 'x' } })).toThrow(/keyword must be 1 to 79 printable Latin-1 characters/);
    expect(() => encodePng({ ...image, text: { Title: 'ψ' } })).toThrow(/must be a Latin-1 string/);
  });

  describe('decodePng: the PNG’s own channel count by default, the asked one when given', () => {
    const [width, height] = [3, 2];
    const samples = (channels: number) => Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 41 + 7) % 256);
    const png = (data: Omit<ImageData, 'width' | 'height'>) => encode({ width, height, depth: 8, ...data });

    it.each([
      ['gray', 1],
      ['RGB', 3],
      ['RGBA', 4],
    ] as const)('%s → %i channels, the same samples (a plain copy)', (_name, channels) => {
      const data = samples(channels);
      const decoded = decodePng(png({ data, channels }));
      expect(decoded).toMatchObject({ width, height, channels });
      expect(Array.from(decoded.pixels)).toEqual(Array.from(data));
    });

    it('gray + alpha → 4 (gray spread to RGB, its alpha kept)', () => {
      const data = samples(2);
      const decoded = decodePng(png({ data, channels: 2 }));
      expect(decoded.channels).toBe(4);
      expect(Array.from(decoded.pixels.subarray(0, 8))).toEqual([data[0], data[0], data[0], data[1], data[2], data[2], data[2], data[3]]);
    });

    it('palette → 3, or 4 when it has transparency (tRNS)', () => {
      const indices = Uint8Array.from([0, 1, 2, 1, 0, 2]);
      const opaque = decodePng(png({ data: indices, channels: 1, palette: [[10, 20, 30], [40, 50, 60], [70, 80, 90]] }));
      expect(opaque.channels).toBe(3);
      expect(Array.from(opaque.pixels.subarray(0, 6))).toEqual([10, 20, 30, 40, 50, 60]);
      const transparent = decodePng(png({ data: indices, channels: 1, palette: [[10, 20, 30, 0], [40, 50, 60, 128], [70, 80, 90, 255]] }));
      expect(transparent.channels).toBe(4);
      expect(Array.from(transparent.pixels.subarray(0, 8))).toEqual([10, 20, 30, 0, 40, 50, 60, 128]);
    });

    it('gray with a tRNS transparent color → 4, alpha 0 on that color only', () => {
      const data = Uint8Array.from([5, 9, 5, 200, 0, 255]);
      const decoded = decodePng(withChunk(png({ data, channels: 1 }), 'tRNS', [0, 5]));
      expect(decoded.channels).toBe(4);
      expect(Array.from(decoded.pixels.subarray(0, 12))).toEqual([5, 5, 5, 0, 9, 9, 9, 255, 5, 5, 5, 0]);
    });

    it('honors the asked channel count: 1 keeps red, 3 drops alpha, gray is spread, alpha is 255', () => {
      const rgba = samples(4);
      const bytes = png({ data: rgba, channels: 4 });
      const pick = (channels: number, from: Uint8Array, keep: number) => Array.from({ length: width * height * channels }, (_, i) => from[Math.floor(i / channels) * keep + (i % channels)]);
      expect(Array.from(decodePng(bytes, 1).pixels)).toEqual(pick(1, rgba, 4));
      expect(Array.from(decodePng(bytes, 3).pixels)).toEqual(pick(3, rgba, 4));
      const gray = samples(1);
      const grayBytes = png({ data: gray, channels: 1 });
      expect(decodePng(grayBytes, 3)).toMatchObject({ channels: 3, pixels: Uint8Array.from(Array.from(gray).flatMap((v) => [v, v, v])) });
      expect(decodePng(grayBytes, 4)).toMatchObject({ channels: 4, pixels: Uint8Array.from(Array.from(gray).flatMap((v) => [v, v, v, 255])) });
      expect(decodePng(grayBytes, 1).channels).toBe(1);
    });

    it('scales other bit depths to 8 bits: 16-bit RGB, 1-bit gray', () => {
      const deep = decodePng(encode({ width: 1, height: 2, depth: 16, channels: 3, data: Uint16Array.from([0, 257, 65535, 32896, 128, 65280]) }));
      expect(deep).toMatchObject({ channels: 3, pixels: Uint8Array.from([0, 1, 255, 128, 0, 254]) });
      // One row of 3 one-bit samples packed in a byte: 1, 0, 1.
      const bits = decodePng(encode({ width: 3, height: 1, depth: 1, channels: 1, data: Uint8Array.from([0b1010_0000]) }));
      expect(bits).toMatchObject({ channels: 1, pixels: Uint8Array.from([255, 0, 255]) });
    });

    it('keeps tEXt chunks both ways', () => {
      const image = { width: 1, height: 1, channels: 1, pixels: Uint8Array.from([3]), text: { Description: 'columns: zéro, un' } } as const;
      expect(decodePng(encodePng(image))).toEqual(image);
      expect(decodePng(encodePng({ ...image, text: {} })).text).toBeUndefined();
    });
  });
});

/** `png` with a chunk inserted before its first IDAT (e.g. a tRNS that fast-png does not write for gray images). */
function withChunk(png: Uint8Array, type: string, body: readonly number[]): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  while (String.fromCharCode(...png.subarray(at + 4, at + 8)) !== 'IDAT') at += 12 + view.getUint32(at);
  const chunk = new Uint8Array(12 + body.length);
  const chunkView = new DataView(chunk.buffer);
  chunkView.setUint32(0, body.length);
  chunk.set(Array.from(type, (c) => c.charCodeAt(0)), 4);
  chunk.set(body, 8);
  chunkView.setUint32(8 + body.length, crc32(chunk.subarray(4, 8 + body.length)));
  return Uint8Array.from([...png.subarray(0, at), ...chunk, ...png.subarray(at)]);
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

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
