import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { DatasetFormatError } from '@dgm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageFolder } from './image-folder.js';
import { encodePng } from '../png.js';

/** A width×height RGB image from a pixel function. */
function rgb(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(pixel(x, y), (y * width + x) * 3);
  return out;
}

describe('loadImageFolder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dgm-folder-'));
    await mkdir(join(dir, 'cats'));
    await mkdir(join(dir, 'dogs'));
    await mkdir(join(dir, 'notes.txt.d'), { recursive: true }); // a class with images below
    // cats: a solid red 8×8 and a 16×8 checkerboard of black and white columns.
    await writeFile(join(dir, 'cats', 'a.png'), encodePng({ width: 8, height: 8, channels: 3, pixels: rgb(8, 8, () => [200, 10, 10]) }));
    await writeFile(join(dir, 'cats', 'b.png'), encodePng({ width: 16, height: 8, channels: 3, pixels: rgb(16, 8, (x) => (x % 2 ? [255, 255, 255] : [0, 0, 0])) }));
    await writeFile(join(dir, 'cats', 'readme.txt'), 'not an image');
    // dogs: a solid blue JPEG.
    const blue = new Uint8Array(8 * 8 * 4);
    for (let p = 0; p < 64; p++) blue.set([20, 40, 220, 255], 4 * p);
    await writeFile(join(dir, 'dogs', 'c.JPG'), jpeg.encode({ data: blue, width: 8, height: 8 }, 100).data);
    await writeFile(join(dir, 'notes.txt.d', 'd.png'), encodePng({ width: 4, height: 4, channels: 1, pixels: new Uint8Array(16).fill(77) }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads one class per subfolder, PNG and JPEG, resized to the requested shape', async () => {
    const data = await loadImageFolder({ dir, shape: [4, 4, 3] });
    expect(data).toMatchObject({ shape: [4, 4, 3], count: 4, classNames: ['cats', 'dogs', 'notes.txt.d'] });
    expect(Array.from(data.labels!)).toEqual([0, 0, 1, 2]);
    const image = (i: number) => Array.from(data.images.subarray(i * 48, (i + 1) * 48));
    expect(image(0)).toEqual(Array.from({ length: 16 }, () => [200, 10, 10]).flat());
    // The striped image is center-cropped to 8×8, then halved with a widened filter: inner columns
    // average black and white equally (no aliasing); edge columns lean to their side; overall gray.
    const stripes = image(1);
    for (let y = 0; y < 4; y++) for (const x of [1, 2]) expect(Math.abs(stripes[(y * 4 + x) * 3]! - 128)).toBeLessThanOrEqual(1);
    expect(Math.abs(stripes.reduce((a, b) => a + b, 0) / stripes.length - 127.5)).toBeLessThanOrEqual(1);
    for (let p = 0; p < 16; p++) expect(image(2).slice(3 * p, 3 * p + 3).map((v, k) => Math.abs(v - [20, 40, 220][k]!)).every((d) => d <= 4)).toBe(true);
    expect(image(3)).toEqual(Array(48).fill(77));
  });

  it('converts to one channel (luma) and stretches when asked', async () => {
    const data = await loadImageFolder({ dir, shape: [2, 6, 1], fit: 'stretch' });
    expect(data.images.length).toBe(4 * 12);
    expect(Array.from(data.images.subarray(0, 12))).toEqual(Array(12).fill(Math.round(0.299 * 200 + 0.587 * 10 + 0.114 * 10)));
  });

  it('rejects an empty folder, a class without images and an undecodable image with DatasetFormatError', async () => {
    const cases: [(d: string) => Promise<void>, RegExp][] = [
      [async () => undefined, /has no class subfolders/],
      [(d) => mkdir(join(d, 'empty')), /class folder .*empty has no \.png or \.jpg images/],
      [
        async (d) => {
          await mkdir(join(d, 'broken'));
          await writeFile(join(d, 'broken', 'x.png'), 'definitely not a png');
        },
        /cannot decode .*x\.png/,
      ],
    ];
    for (const [setup, message] of cases) {
      const bad = await mkdtemp(join(tmpdir(), 'dgm-folder-bad-'));
      await setup(bad);
      const error = await loadImageFolder({ dir: bad, shape: [4, 4, 3] }).catch((e: unknown) => e);
      expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
      await rm(bad, { recursive: true });
    }
    await expect(loadImageFolder({ dir: join(dir, 'missing'), shape: [4, 4, 3] })).rejects.toThrow(/cannot read .*missing/);
  });
});
