import { createRandom, InvalidArgumentError } from '@dgm/core';
import { resolveClasses, type ClassChoice, type ClassSpec } from './class-choice.js';

/** What latents are drawn for: a GAN's or a VAE's spec (its latent size, and whether and which classes its generator or decoder takes). */
export type DrawSpec = ClassSpec & { readonly latentDim: number };

/** How many latents to draw, from which seed, and (conditional models) which classes in turn. */
export interface DrawOptions {
  readonly count: number;
  /** The classes to draw, in turn (indices, or names where the spec has them). Default: every class in turn. */
  readonly classes?: readonly ClassChoice[];
  /** Seed of the latents. Default 0. */
  readonly seed?: number;
}

/** A source of a generator's (or decoder's) inputs: latents drawn image by image (the same images however they are batched) and classes in turn. */
export interface LatentDraws {
  /** The next n latents [n·latentDim] and their labels (empty for an unconditional model). */
  next(n: number): { readonly z: Float32Array; readonly labels: Int32Array };
  /** Every label drawn so far. */
  labels(): Int32Array;
}

/** Checks count, seed and classes against `spec` and returns standard normal latents drawn from `seed`, with the classes in turn. */
export function drawLatents(spec: DrawSpec, options: DrawOptions, caller: string): LatentDraws {
  const { count, seed = 0 } = options;
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError(`${caller}: count must be a positive integer, got ${JSON.stringify(count)}`);
  if (!Number.isInteger(seed)) throw new InvalidArgumentError(`${caller}: seed must be an integer, got ${JSON.stringify(seed)}`);
  const classes = resolveClasses(spec, options.classes, caller);
  const random = createRandom({ seed });
  const drawn: number[] = [];
  const { latentDim } = spec;
  return {
    next(n) {
      const labels = Int32Array.from({ length: classes.length === 0 ? 0 : n }, (_, i) => classes[(drawn.length + i) % classes.length]!);
      drawn.push(...labels);
      return { z: Float32Array.from({ length: n * latentDim }, () => random.normal()), labels };
    },
    labels: () => Int32Array.from(drawn),
  };
}
