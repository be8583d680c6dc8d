import { InvalidArgumentError } from './errors.js';

/**
 * Seeded random source: xoshiro128** (Blackman & Vigna), seeded through splitmix32.
 * Its whole state is a small JSON value, so a run can save it in a checkpoint and
 * continue the identical stream after restoring it.
 */
export interface RandomState {
  readonly algorithm: 'xoshiro128**';
  /** The four 32-bit state words, as unsigned integers. */
  readonly words: readonly [number, number, number, number];
  /** The second normal deviate of the last polar-method pair, not yet returned. */
  readonly spareNormal: number | null;
}

export type CreateRandomOptions = { readonly seed: number } | { readonly state: RandomState };

export function createRandom(options: CreateRandomOptions): Random {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`createRandom: expected { seed } or { state }, got ${String(options)}`);
  }
  // An own key only: a prototype's `state` is no state.
  if (Object.hasOwn(options, 'state')) return new Random(validateState((options as { state: RandomState }).state));
  return new Random({ algorithm: 'xoshiro128**', words: wordsFromSeed((options as { seed: number }).seed), spareNormal: null });
}

export class Random {
  readonly #s: Uint32Array;
  #spareNormal: number | null;

  /** Use `createRandom`. */
  constructor(state: RandomState) {
    this.#s = Uint32Array.from(state.words);
    this.#spareNormal = state.spareNormal;
  }

  /** A uniform unsigned 32-bit integer. */
  uint32(): number {
    // The four state words, as a tuple for the type checker (the Uint32Array keeps them unsigned).
    const s = this.#s as unknown as [number, number, number, number];
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const high = this.uint32() >>> 5; // 27 bits
    const low = this.uint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) {
      throw new InvalidArgumentError(`Random.int: expected an integer n in [1, 2^32], got ${n}`);
    }
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const r = this.uint32();
      if (r < limit) return r % n;
    }
  }

  /** A normal deviate (Marsaglia's polar method). */
  normal(mean = 0, stddev = 1): number {
    if (this.#spareNormal !== null) {
      const spare = this.#spareNormal;
      this.#spareNormal = null;
      return mean + stddev * spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.float() - 1;
      v = 2 * this.float() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spareNormal = v * scale;
    return mean + stddev * u * scale;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    if (!Number.isInteger(n) || n < 0) {
      throw new InvalidArgumentError(`Random.permutation: expected a non-negative integer, got ${n}`);
    }
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /**
   * A seed for a tfjs random op (`tf.randomNormal(shape, 0, 1, 'float32', seed)`), drawn
   * from this stream, so that tfjs's randomness follows this source's state.
   */
  tfSeed(): number {
    return this.uint32();
  }

  /** An independent random source seeded from this one (advances this one by four draws). */
  fork(): Random {
    const words = [0, 0, 0, 0].map(() => splitmix32(this.uint32(), 1)) as [number, number, number, number];
    return new Random({ algorithm: 'xoshiro128**', words: nonZero(words), spareNormal: null });
  }

  /** The full state: `createRandom({ state })` continues exactly where this source is now. */
  getState(): RandomState {
    const [a, b, c, d] = this.#s as unknown as [number, number, number, number];
    return { algorithm: 'xoshiro128**', words: [a, b, c, d], spareNormal: this.#spareNormal };
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The `k`-th output (k ≥ 1) of a splitmix32 stream started at `x`. */
function splitmix32(x: number, k: number): number {
  let z = (x + Math.imul(0x9e3779b9, k)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

function wordsFromSeed(seed: unknown): [number, number, number, number] {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new InvalidArgumentError(`createRandom: seed must be a non-negative safe integer, got ${String(seed)}`);
  }
  const low = seed >>> 0;
  const high = Math.floor(seed / 2 ** 32) ^ 0x5bd1e995;
  return nonZero([splitmix32(low, 1), splitmix32(low, 2), splitmix32(high, 1), splitmix32(high, 2)]);
}

/** xoshiro's all-zero state is a fixed point; replace it (probability 2^-128). */
function nonZero(words: [number, number, number, number]): [number, number, number, number] {
  return words.some((w) => w !== 0) ? words : [0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x85a308d3];
}

function validateState(state: unknown): RandomState {
  const s = state as Partial<RandomState> | null;
  const words = s?.words;
  const valid =
    s !== null &&
    typeof s === 'object' &&
    s.algorithm === 'xoshiro128**' &&
    Array.isArray(words) &&
    words.length === 4 &&
    words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32) &&
    words.some((w) => w !== 0) &&
    (s.spareNormal === null || Number.isFinite(s.spareNormal));
  if (!valid) {
    throw new InvalidArgumentError(
      `createRandom: expected a state { algorithm: 'xoshiro128**', words: four uint32 not all zero, spareNormal: number | null }, got ${JSON.stringify(state)}`,
    );
  }
  return { algorithm: 'xoshiro128**', words: [...words] as [number, number, number, number], spareNormal: s.spareNormal ?? null };
}
