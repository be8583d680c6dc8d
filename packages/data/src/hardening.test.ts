import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRandom, DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import { expectFailureWithoutLeaks, type ErrorClass } from '@dgm/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gaussianNoise, randomBrightnessContrast, randomCrop, randomFlip, randomTranslate } from './augment.js';
import { batches } from './batches.js';
import { subset } from './dataset.js';
import { diffAugment } from './diff-augment.js';
import { fromArrays } from './from-arrays.js';
import { imageGrid } from './image-grid.js';
import { parseIdx } from './idx.js';
import { gzipBomb } from './node/bombs.test-helper.js';
import { denormalizeImages, normalizeImages } from './normalize.js';
import { blackPng } from './png-bomb.test-helper.js';
import { decodePng, encodePng } from './png.js';
import { takePerClass } from './take-per-class.js';

// The probe set of issue 14 for the main entry: each bad input, the error class it must
// give and a fragment of its message; and no call that fails leaves a tensor behind.
type Case = readonly [name: string, call: () => unknown, error: ErrorClass, message: string | RegExp];

const pixels = new Uint8Array(6 * 4);
const dataset = fromArrays({ images: pixels, shape: [2, 2, 1], labels: [0, 1, 0, 1, 0, 1] });

describe('fromArrays: labels, shapes and data are checked, never silently corrupted', () => {
  const base = { images: pixels, shape: [2, 2, 1] as const };
  const cases: Case[] = [
    ['labels [NaN, 1.5, 2**32]', () => fromArrays({ images: pixels.subarray(0, 12), shape: [2, 2, 1], labels: [NaN, 1.5, 2 ** 32] }), InvalidArgumentError, 'fromArrays(arrays): labels[0]: expected an integer class index, got number NaN'],
    ['a fractional label', () => fromArrays({ ...base, labels: [0, 1.5, 0, 0, 0, 0] }), InvalidArgumentError, 'labels[1]: expected an integer class index, got number 1.5'],
    ['a label of 2**32 without class names', () => fromArrays({ ...base, labels: [0, 2 ** 32, 0, 0, 0, 0] }), InvalidArgumentError, 'labels[1]: expected a class index below 65536 (pass classNames for more classes), got number 4294967296'],
    ['a label of 2**32 with class names', () => fromArrays({ ...base, labels: [0, 2 ** 32, 0, 0, 0, 0], classNames: ['a', 'b'] }), DatasetFormatError, 'label 4294967296 at index 1 is outside [0, 2) for the 2 classes'],
    ["labels ['1', 'x']", () => fromArrays({ images: pixels.subarray(0, 8), shape: [2, 2, 1], labels: ['1', 'x'] as never }), InvalidArgumentError, 'labels[0]: expected an integer class index, got string "1"'],
    ['a label of -(2**32) (Int32Array would make it 0)', () => fromArrays({ ...base, labels: [0, -(2 ** 32), 0, 0, 0, 0] }), DatasetFormatError, 'label -4294967296 at index 1 is outside [0, 1)'],
    ['a label past the class names', () => fromArrays({ ...base, labels: [0, 1, 2, 0, 0, 0], classNames: ['a', 'b'] }), DatasetFormatError, 'label 2 at index 2 is outside [0, 2) for the 2 classes'],
    ['labels that are not an array', () => fromArrays({ ...base, labels: 'abc' as never }), InvalidArgumentError, 'labels: expected an array or typed array of class indices, got string "abc"'],
    ['fromArrays(undefined)', () => fromArrays(undefined as never), InvalidArgumentError, 'fromArrays: expected an options object, got undefined'],
    ['options that are a class instance', () => fromArrays(new Map() as never), InvalidArgumentError, 'fromArrays: expected an options object, got a Map'],
    ['data without images', () => fromArrays({ shape: [2, 2, 1] } as never), InvalidArgumentError, 'fromArrays: images: expected a Uint8Array or Float32Array of NHWC pixels, got undefined'],
    ['shape [8, 8, 2]', () => fromArrays({ images: new Uint8Array(128), shape: [8, 8, 2] as never }), InvalidArgumentError, 'fromArrays: shape[2]: expected one of 1, 3, 4, got number 2'],
    ['shape as a string', () => fromArrays({ images: pixels, shape: '2x2x1' as never }), InvalidArgumentError, 'fromArrays: shape: expected [height, width, channels], got string "2x2x1"'],
    ['shape missing', () => fromArrays({ images: pixels } as never), InvalidArgumentError, 'fromArrays: shape: expected [height, width, channels], got undefined'],
    ['a shape side of 0', () => fromArrays({ images: pixels, shape: [0, 2, 1] as never }), InvalidArgumentError, 'shape[0]: expected ≥ 1, got number 0'],
    ['0 images', () => fromArrays({ images: new Uint8Array(0), shape: [2, 2, 1] }), DatasetFormatError, 'fromArrays(arrays): no images (a dataset needs at least one)'],
    ['an unknown option', () => fromArrays({ ...base, label: [0] } as never), InvalidArgumentError, 'fromArrays: unknown option "label"'],
    ['class names that are not strings', () => fromArrays({ ...base, classNames: [1, 2] as never }), InvalidArgumentError, 'classNames[0]: expected string, got number 1'],
  ];
  it.each(cases)('%s', async (_name, call, error, message) => {
    await expectFailureWithoutLeaks(call, { error, message });
  });

  it('keeps good labels exactly, from arrays and typed arrays', () => {
    expect(Array.from(fromArrays({ ...base, labels: Float64Array.of(0, 1, 2, 3, 4, 5) as never }).labels!)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(fromArrays({ ...base, labels: [0, 0, 0, 0, 0, 65535] }).classNames).toHaveLength(65536);
  });
});

describe('the other functions of the main entry: typed errors, no tensor left behind', () => {
  let images: tf.Tensor4D;
  let rank3: tf.Tensor3D;
  let twoChannels: tf.Tensor4D;
  let disposed: tf.Tensor4D;
  const random = createRandom({ seed: 1 });
  beforeAll(async () => {
    await tf.setBackend('cpu');
    images = tf.zeros([2, 4, 4, 3]);
    rank3 = tf.zeros([4, 4, 3]);
    twoChannels = tf.zeros([1, 2, 2, 2]);
    disposed = tf.zeros([1, 2, 2, 1]);
    disposed.dispose();
  });
  afterAll(() => tf.dispose([images, rank3, twoChannels]));

  const cases: Case[] = [
    ['batches(undefined)', () => batches(undefined as never), InvalidArgumentError, 'batches: expected an options object, got undefined'],
    ['batches: batchSize as a string', () => batches({ dataset, batchSize: '8' as never }), InvalidArgumentError, 'batches: batchSize: expected a finite number, got string "8"'],
    ['batches: batchSize 1e9 with dropRemainder', () => batches({ dataset, batchSize: 1e9, dropRemainder: true }), InvalidArgumentError, '6 images make no batch of 1000000000'],
    ['batches: a state that is not one', () => batches({ dataset, batchSize: 2, state: { epoch: -1 } as never }), InvalidArgumentError, 'state.epoch: expected ≥ 0, got number -1'],
    ['randomFlip: images of rank 3', () => randomFlip({ images: rank3 as never, random }), InvalidArgumentError, 'randomFlip: images: expected a live rank-4 tensor [n, height, width, channels], got rank 3'],
    ['randomFlip: a disposed tensor', () => randomFlip({ images: disposed, random }), InvalidArgumentError, 'got a disposed tensor'],
    ['randomFlip: probability 2', () => randomFlip({ images, random, probability: 2 }), InvalidArgumentError, 'randomFlip: probability: expected ≤ 1, got number 2'],
    ['randomFlip: no random', () => randomFlip({ images } as never), InvalidArgumentError, 'random: expected a Random (createRandom of @dgm/core), got undefined'],
    ['randomCrop: padding 1.5', () => randomCrop({ images, random, padding: 1.5 }), InvalidArgumentError, 'randomCrop: padding: expected an integer, got number 1.5'],
    ['randomCrop: an unknown range', () => randomCrop({ images, random, padding: 1, range: '0-255' as never }), InvalidArgumentError, 'range: expected one of "[-1,1]", "[0,1]", got string "0-255"'],
    ['randomTranslate: max -1', () => randomTranslate({ images, random, max: -1 }), InvalidArgumentError, 'randomTranslate: max: expected ≥ 0, got number -1'],
    ['gaussianNoise: stddev NaN', () => gaussianNoise({ images, random, stddev: NaN }), InvalidArgumentError, 'gaussianNoise: stddev: expected a finite number, got number NaN'],
    ['randomBrightnessContrast: contrast as a string', () => randomBrightnessContrast({ images, random, contrast: '0.5' as never }), InvalidArgumentError, 'contrast: expected a finite number, got string "0.5"'],
    ['diffAugment: an unknown policy', () => diffAugment({ images, random, policy: ['zoom' as never] }), InvalidArgumentError, 'diffAugment: policy[0]: expected one of "color", "translation", "cutout", got string "zoom"'],
    ['diffAugment: a policy that is a string', () => diffAugment({ images, random, policy: 'color' as never }), InvalidArgumentError, 'policy: expected array, got string "color"'],
    ['diffAugment: translationRatio NaN', () => diffAugment({ images, random, translationRatio: NaN }), InvalidArgumentError, 'translationRatio: expected a finite number, got number NaN'],
    ['imageGrid(undefined)', () => imageGrid(undefined as never), InvalidArgumentError, 'imageGrid: expected an options object, got undefined'],
    ['imageGrid: rows 0', () => imageGrid({ images, rows: 0 }), InvalidArgumentError, 'imageGrid: rows: expected ≥ 1, got number 0'],
    ['imageGrid: padding NaN', () => imageGrid({ images, padding: NaN }), InvalidArgumentError, 'padding: expected a finite number, got number NaN'],
    ['imageGrid: background 300', () => imageGrid({ images, background: 300 }), InvalidArgumentError, 'background: expected ≤ 255, got number 300'],
    ['imageGrid: 2 channels', () => imageGrid({ images: twoChannels }), InvalidArgumentError, 'imageGrid: images must have 1, 3 or 4 channels, got 2'],
    ['normalizeImages: not a tensor', () => normalizeImages({ images: [1, 2] as never }), InvalidArgumentError, 'normalizeImages: images: expected a live tensor, got an array of 2'],
    ['denormalizeImages: an unknown range', () => denormalizeImages({ images, range: '[0,255]' as never }), InvalidArgumentError, 'denormalizeImages: range: expected one of'],
    ['encodePng: width 0', () => encodePng({ width: 0, height: 1, channels: 1, pixels: new Uint8Array(0) }), InvalidArgumentError, 'encodePng: width: expected ≥ 1, got number 0'],
    ['encodePng: pixels as an array', () => encodePng({ width: 1, height: 1, channels: 1, pixels: [0] as never }), InvalidArgumentError, 'encodePng: pixels: expected a Uint8Array of 8-bit samples, got an array of 1'],
    ['decodePng: maxPixels 0', () => decodePng(new Uint8Array(8), { maxPixels: 0 }), InvalidArgumentError, 'decodePng: maxPixels: expected ≥ 1, got number 0'],
    ['takePerClass: perClass as a string', () => takePerClass({ dataset, perClass: '2' as never }), InvalidArgumentError, 'takePerClass: perClass: expected a finite number, got string "2"'],
    ['takePerClass: not a dataset', () => takePerClass({ dataset: {} as never, perClass: 2 }), InvalidArgumentError, 'takePerClass: dataset: expected a Dataset (from a loader or fromArrays), got an empty object'],
    ['subset: an index past the end', () => subset(dataset, [0, 6]), InvalidArgumentError, 'subset: indices[1]: expected an integer in [0, 6), got number 6'],
    ['subset: no indices', () => subset(dataset, []), DatasetFormatError, 'no images'],
  ];
  it.each(cases)('%s', async (_name, call, error, message) => {
    await expectFailureWithoutLeaks(call, { error, message });
  });
});

describe('decodePng refuses image bombs from their header, before inflating', () => {
  it('a PNG whose IHDR declares 20000×20000 pixels', () => {
    const bomb = blackPng(20000, 20000);
    expect(bomb.length).toBeLessThan(200_000);
    const start = performance.now();
    const error = (() => {
      try {
        decodePng(bomb);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(performance.now() - start).toBeLessThan(1000);
    expect(DatasetFormatError.isInstance(error)).toBe(true);
    expect(error?.message).toContain('decodePng: the PNG declares 20000×20000 = 400000000 pixels, more than maxPixels = 67108864');
  });

  it('a small image whose compressed data inflates far past its pixels', () => {
    const bomb = blackPng(8, 8, 64 * 2 ** 20);
    const start = performance.now();
    expect(() => decodePng(bomb)).toThrow(/the PNG holds \d+ bytes of compressed data for a 8×8 image that needs at most 1056/);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('maxPixels can be lowered and raised; images within it decode', () => {
    const png = blackPng(30, 20);
    expect(decodePng(png)).toMatchObject({ width: 30, height: 20, channels: 1 });
    expect(() => decodePng(png, { maxPixels: 599 })).toThrow(/declares 30×20 = 600 pixels, more than maxPixels = 599/);
    expect(decodePng(png, { channels: 3, maxPixels: 600 })).toMatchObject({ width: 30, channels: 3 });
  });
});

describe('parseIdx inflates gzip within bounds on any platform (fflate)', () => {
  const header = (dims: number[]) => {
    const view = new DataView(new ArrayBuffer(4 + 4 * dims.length));
    view.setUint32(0, 0x0800 | dims.length);
    dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
    return new Uint8Array(view.buffer);
  };
  const limit = { bytes: 100 * 784, why: 'at most 100 images' };

  it('refuses a bomb from its trailer, and stops one whose trailer lies', () => {
    expect(() => parseIdx(gzipBomb(header([100, 28, 28]), 1100), 'bomb.gz', { rank: 3, limit })).toThrow(
      /bomb\.gz: gzip trailer declares 1153433616 bytes uncompressed, more than 78416 \(at most 100 images\)/,
    );
    const liar = gzipBomb(header([100, 28, 28]), 1100, 16 + 100 * 784);
    const start = performance.now();
    expect(() => parseIdx(liar, 'liar.gz', { rank: 3, limit })).toThrow(
      /liar\.gz: inflates to more than the 78416 bytes its gzip trailer declares/,
    );
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('reads a good file', () => {
    const data = new Uint8Array([...header([2, 28, 28]), ...new Uint8Array(2 * 784).fill(7)]);
    const parsed = parseIdx(gzipSync(data), 'good.gz', { rank: 3, limit });
    expect(parsed.dims).toEqual([2, 28, 28]);
    expect(parsed.data.every((v) => v === 7)).toBe(true);
  });
});
