import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import { createRandom, type Random } from './random.js';

function draw(random: Random, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(random.uint32(), random.float(), random.normal(), random.int(10));
  return out;
}

describe('createRandom', () => {
  it('gives the same stream for the same seed', () => {
    expect(draw(createRandom({ seed: 42 }), 100)).toEqual(draw(createRandom({ seed: 42 }), 100));
  });

  it('gives different streams for different seeds, including seeds that differ only above 2^32', () => {
    const streams = [0, 1, 2, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER].map((seed) =>
      JSON.stringify(draw(createRandom({ seed }), 10)),
    );
    expect(new Set(streams).size).toBe(streams.length);
  });

  it('continues identically after its state is saved and restored, including a pending normal deviate', () => {
    const random = createRandom({ seed: 7 });
    draw(random, 12);
    random.normal(); // leaves the second deviate of a pair pending
    const state = JSON.parse(JSON.stringify(random.getState()));
    expect(state.spareNormal).not.toBeNull();
    const restored = createRandom({ state });
    expect(draw(restored, 50)).toEqual(draw(random, 50));
  });

  it('matches the xoshiro128** reference output for a known state', () => {
    // Reference: the C implementation (prng.di.unimi.it/xoshiro128starstar.c) from state {1, 2, 3, 4}.
    const random = createRandom({ state: { algorithm: 'xoshiro128**', words: [1, 2, 3, 4], spareNormal: null } });
    expect(Array.from({ length: 6 }, () => random.uint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it('produces uniform floats in [0, 1) and unbiased integers', () => {
    const random = createRandom({ seed: 1 });
    const counts = new Array<number>(6).fill(0);
    let sum = 0;
    for (let i = 0; i < 60_000; i++) {
      const u = random.float();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      counts[random.int(6)]! += 1;
    }
    expect(sum / 60_000).toBeCloseTo(0.5, 2);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400); // ~4 standard deviations
  });

  it('produces normal deviates with the requested mean and deviation', () => {
    const random = createRandom({ seed: 3 });
    const xs = Array.from({ length: 40_000 }, () => random.normal(2, 3));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(2, 1);
    expect(sd).toBeCloseTo(3, 1);
  });

  it('shuffles into a permutation, reproducibly', () => {
    const a = createRandom({ seed: 5 }).permutation(1000);
    const b = createRandom({ seed: 5 }).permutation(1000);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(a.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('forks independent, reproducible streams and derives tfjs seeds from its own state', () => {
    const parent = createRandom({ seed: 9 });
    const child = parent.fork();
    expect(draw(child, 5)).not.toEqual(draw(parent, 5));
    const again = createRandom({ seed: 9 });
    expect(draw(again.fork(), 5)).toEqual(draw(createRandom({ seed: 9 }).fork(), 5));
    const seeds = [again.tfSeed(), again.tfSeed()];
    expect(seeds[0]).not.toBe(seeds[1]);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it('rejects bad seeds, states and ranges with InvalidArgumentError', () => {
    for (const seed of [-1, 1.5, Number.NaN, 2 ** 53, '42']) {
      expect(() => createRandom({ seed: seed as number })).toThrow(InvalidArgumentError);
    }
    const bad = [
      { algorithm: 'mt19937', words: [1, 2, 3, 4], spareNormal: null },
      { algorithm: 'xoshiro128**', words: [0, 0, 0, 0], spareNormal: null },
      { algorithm: 'xoshiro128**', words: [1, 2, 3], spareNormal: null },
      { algorithm: 'xoshiro128**', words: [1, 2, 3, 2 ** 32], spareNormal: null },
      { algorithm: 'xoshiro128**', words: [1, 2, 3, 4], spareNormal: Number.NaN },
      null,
    ];
    for (const state of bad) expect(() => createRandom({ state: state as never })).toThrow(InvalidArgumentError);
    expect(() => createRandom(undefined as never)).toThrow(InvalidArgumentError);
    const random = createRandom({ seed: 0 });
    for (const n of [0, -3, 2.5, 2 ** 33]) expect(() => random.int(n)).toThrow(/expected an integer n/);
    expect(() => random.permutation(-1)).toThrow(InvalidArgumentError);
  });
});
