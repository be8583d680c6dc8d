import { DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import { describe, expect, it } from 'vitest';
import { subset } from './dataset.js';
import { fromArrays } from './from-arrays.js';
import { takePerClass } from './take-per-class.js';

const images = Uint8Array.from({ length: 6 * 4 }, (_, i) => i);

describe('fromArrays', () => {
  it('builds a dataset with class names up to the largest label', () => {
    const data = fromArrays({ images, shape: [2, 2, 1], labels: [0, 2, 1, 2, 0, 1], name: 'toy' });
    expect(data).toMatchObject({ name: 'toy', split: 'train', count: 6, classNames: ['0', '1', '2'] });
    expect(Object.isFrozen(data)).toBe(true);
    expect(fromArrays({ images: new Float32Array(8).fill(0.5), shape: [2, 2, 1] }).labels).toBeUndefined();
  });

  it('rejects inconsistent inputs with typed errors saying what was expected', () => {
    const cases: [object, typeof DatasetFormatError | typeof InvalidArgumentError, RegExp][] = [
      [{ images: images.subarray(0, 23), shape: [2, 2, 1] }, DatasetFormatError, /23 values are not a whole number of 2×2×1 images/],
      [{ images, shape: [2, 2, 1], labels: [0, 1] }, DatasetFormatError, /6 images but 2 labels/],
      [{ images, shape: [2, 2, 1], labels: [0, 1, 2, 3, 0, -1] }, DatasetFormatError, /label -1 at index 5 is outside \[0, 4\)/],
      [{ images, shape: [2, 2, 1], labels: [0, 1, 2, 0, 0, 1], classNames: ['a', 'b'] }, DatasetFormatError, /label 2 at index 2 is outside \[0, 2\) for the 2 classes/],
      [{ images: new Float32Array(4).fill(1.5), shape: [2, 2, 1] }, DatasetFormatError, /float32 pixels must be in \[0, 1\], found 1.5 at index 0/],
      [{ images, shape: [2, 2] }, InvalidArgumentError, /shape: expected \[height, width, channels\], got an array of 2/],
      [{ images, shape: [1, 4, 2] }, InvalidArgumentError, /shape\[2\]: expected one of 1, 3, 4, got number 2/],
      [{ images: [1, 2, 3, 4], shape: [2, 2, 1] }, InvalidArgumentError, /images: expected a Uint8Array or Float32Array of NHWC pixels, got an array of 4/],
    ];
    for (const [options, ErrorClass, message] of cases) {
      expect(() => fromArrays(options as never), JSON.stringify(options)).toThrow(message);
      try {
        fromArrays(options as never);
      } catch (error) {
        expect(ErrorClass.isInstance(error)).toBe(true);
      }
    }
  });
});

describe('subset and takePerClass', () => {
  const data = fromArrays({ images, shape: [2, 2, 1], labels: [0, 1, 0, 1, 0, 2] });

  it('subset copies the chosen images and labels in order', () => {
    const picked = subset(data, [5, 0]);
    expect(Array.from(picked.images)).toEqual([20, 21, 22, 23, 0, 1, 2, 3]);
    expect(Array.from(picked.labels!)).toEqual([2, 0]);
  });

  it('takePerClass takes exactly N of each class, seeded', () => {
    const many = fromArrays({ images: new Uint8Array(300 * 4), shape: [2, 2, 1], labels: Array.from({ length: 300 }, (_, i) => i % 3) });
    const taken = takePerClass({ dataset: many, perClass: 10, seed: 4 });
    expect(taken.count).toBe(30);
    expect([0, 1, 2].map((c) => taken.labels!.filter((l) => l === c).length)).toEqual([10, 10, 10]);
    expect(taken.split).toBe('train-10-per-class');
    expect(Array.from(takePerClass({ dataset: many, perClass: 10, seed: 4 }).labels!)).toEqual(Array.from(taken.labels!));
    expect(() => takePerClass({ dataset: data, perClass: 2 })).toThrow(/class 2 has 1 images, fewer than perClass = 2/);
  });
});
