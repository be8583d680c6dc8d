import { InvalidArgumentError } from '@dgm/core';
import { describe, expect, it } from 'vitest';
import { binarize } from './binarize.js';
import { fromArrays } from './from-arrays.js';

describe('binarize', () => {
  const values = Uint8Array.from({ length: 4 * 1000 }, (_, i) => [0, 255, 64, 191][i % 4]!);
  const dataset = fromArrays({ images: values, shape: [10, 100, 1], labels: [0, 1, 0, 1], classNames: ['a', 'b'] });

  it('draws each pixel black or white with its intensity as the probability, seeded', () => {
    const binary = binarize({ dataset, seed: 3 });
    expect(binary.split).toBe(`${dataset.split}-binarized`);
    expect(binary.labels).toEqual(dataset.labels);
    expect(binary.classNames).toEqual(['a', 'b']);
    const byIntensity = new Map<number, number[]>();
    binary.images.forEach((v, i) => byIntensity.set(values[i]!, [...(byIntensity.get(values[i]!) ?? []), v]));
    expect(new Set(binary.images)).toEqual(new Set([0, 255]));
    expect(byIntensity.get(0)!.every((v) => v === 0)).toBe(true);
    expect(byIntensity.get(255)!.every((v) => v === 255)).toBe(true);
    const whiteFraction = (intensity: number) => byIntensity.get(intensity)!.filter((v) => v === 255).length / 1000;
    expect(whiteFraction(64)).toBeCloseTo(64 / 255, 1);
    expect(whiteFraction(191)).toBeCloseTo(191 / 255, 1);
    expect(binarize({ dataset, seed: 3 }).images).toEqual(binary.images);
    expect(binarize({ dataset, seed: 4 }).images).not.toEqual(binary.images);
  });

  it('takes float pixels in [0, 1] too', () => {
    const floats = fromArrays({ images: Float32Array.from({ length: 1000 }, () => 0.5), shape: [10, 100, 1] });
    const white = binarize({ dataset: floats }).images.filter((v) => v === 255).length;
    expect(white / 1000).toBeCloseTo(0.5, 1);
  });

  it('refuses bad options', () => {
    expect(() => binarize({ dataset, seed: -1 })).toThrow(InvalidArgumentError);
    expect(() => binarize({ dataset: {} as never })).toThrow(InvalidArgumentError);
  });
});
