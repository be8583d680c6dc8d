import { InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { describe, expect, it } from 'vitest';
import { fromArrays } from './from-arrays.js';
import { mixLabeled } from './mix-labeled.js';

/** n images of 2×2×1 per class, each pixel value naming the image: real ones 0…, generated ones as floats. */
function labeled(perClass: readonly number[], float: boolean, offset: number) {
  const labels = Int32Array.from(perClass.flatMap((n, c) => Array<number>(n).fill(c)));
  const values = Array.from(labels, (_, i) => Array<number>(4).fill(offset + i)).flat();
  const images = float ? Float32Array.from(values, (v) => v / 255) : Uint8Array.from(values);
  return fromArrays({ images, shape: [2, 2, 1], labels, classNames: ['a', 'b', 'c'] });
}

describe('mixLabeled', () => {
  it('gives every class count/K images at the asked real share, using each real image ⌊m/n⌋ or ⌈m/n⌉ times, reproducibly', () => {
    const real = labeled([2, 3, 5], false, 0);
    const generated = labeled([40, 40, 40], true, 100);
    const mix = mixLabeled({ real, generated, realFraction: 0.25, count: 120, seed: 3 });
    expect(mix.count).toBe(120);
    expect(mix.images).toBeInstanceOf(Float32Array);
    const perClass = [0, 0, 0];
    const realUses = new Map<number, number>();
    for (let i = 0; i < mix.count; i++) {
      const id = Math.round(mix.images[i * 4]! * 255);
      const label = mix.labels![i]!;
      perClass[label]!++;
      if (id < 100) {
        expect(real.labels![id]).toBe(label);
        realUses.set(id, (realUses.get(id) ?? 0) + 1);
      } else expect(generated.labels![id - 100]).toBe(label);
    }
    expect(perClass).toEqual([40, 40, 40]);
    // 10 of each class's 40 are real: class a's 2 images 5 times each, b's 3 images 3 or 4 times, c's 5 twice.
    expect([0, 1].map((i) => realUses.get(i))).toEqual([5, 5]);
    expect([2, 3, 4].map((i) => realUses.get(i)!).sort()).toEqual([3, 3, 4]);
    expect([5, 6, 7, 8, 9].map((i) => realUses.get(i))).toEqual([2, 2, 2, 2, 2]);
    // Shuffled, and the same from the same seed.
    expect(Array.from(mix.labels!.slice(0, 40))).not.toEqual(Array<number>(40).fill(0));
    expect(mixLabeled({ real, generated, realFraction: 0.25, count: 120, seed: 3 }).images).toEqual(mix.images);
    expect(mixLabeled({ real, generated, realFraction: 0.25, count: 120, seed: 4 }).images).not.toEqual(mix.images);
  });

  it('keeps uint8 pixels when both sets are uint8, and takes only one side at realFraction 0 or 1', () => {
    const real = labeled([4, 4, 4], false, 0);
    const generated = labeled([4, 4, 4], false, 100);
    const onlyReal = mixLabeled({ real, generated, realFraction: 1, count: 12 });
    expect(onlyReal.images).toBeInstanceOf(Uint8Array);
    expect(new Set(Array.from(onlyReal.images).filter((_, i) => i % 4 === 0))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => i)));
    const onlyGenerated = mixLabeled({ real, generated, realFraction: 0 });
    expect(onlyGenerated.count).toBe(24);
    expect(Array.from(onlyGenerated.images).every((v) => v >= 100)).toBe(true);
  });

  it('refuses unlabeled or mismatched sets, a missing class and bad options, with typed errors', () => {
    const real = labeled([2, 2, 2], false, 0);
    const unlabeled = fromArrays({ images: new Uint8Array(8), shape: [2, 2, 1] });
    const wide = fromArrays({ images: new Uint8Array(24), shape: [2, 2, 3], labels: Int32Array.from([0, 1]), classNames: ['a', 'b', 'c'] });
    const noC = labeled([2, 2, 0], false, 100);
    expect(() => mixLabeled({ real, generated: unlabeled, realFraction: 0.5 })).toThrow(/generated must be a labeled Dataset/);
    expect(() => mixLabeled({ real, generated: wide, realFraction: 0.5 })).toThrow(ShapeMismatchError);
    expect(() => mixLabeled({ real, generated: noC, realFraction: 0.5 })).toThrow(/generated has no images of class "c"/);
    expect(() => mixLabeled({ real, generated: real, realFraction: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => mixLabeled({ real, generated: real, realFraction: 0.5, count: 2 })).toThrow(/less than one image per class/);
    expect(() => mixLabeled({ real, generated: real, realFraction: 0.5, extra: 1 } as never)).toThrow(/extra/);
  });
});
