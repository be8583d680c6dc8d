import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createRandom, InvalidArgumentError, parseOptions } from '@dgm/core';
import * as z from 'zod';
import { resolveClasses, type ClassChoice } from './class-choice.js';
import { generatorInputs } from './model-inputs.js';
import { finite } from './options.js';
import type { Gan } from './spec.js';

export interface GenerateOptions {
  /** The GAN (its spec says what G takes). */
  readonly gan: Gan;
  /** The generator to draw from, e.g. the EMA copy of a run. Default gan.generator. */
  readonly generator?: tfl.LayersModel;
  readonly count: number;
  /** Conditional families: the classes to draw, in turn (indices, or names where the spec has them). Default: every class in turn. */
  readonly classes?: readonly ClassChoice[];
  /** Seed of the latents. Default 0. */
  readonly seed?: number;
  /** Images per forward pass (the result is the same for any). Default 250. */
  readonly batchSize?: number;
}

/** A source of G's inputs: latents drawn image by image (the same images however they are batched) and classes in turn. */
export interface LatentDraws {
  /** The next n latents [n·latentDim] and their labels (empty for an unconditional G). */
  next(n: number): { readonly z: Float32Array; readonly labels: Int32Array };
  /** Every label drawn so far. */
  labels(): Int32Array;
}

/** The types of `generate`'s options; the GAN, the ranges and the classes are checked after, with their own messages. */
const generateSchema = z.looseObject({
  gan: z.unknown().optional(),
  generator: z.unknown().optional(),
  count: finite,
  classes: z.unknown().optional(),
  seed: finite.optional(),
  batchSize: finite.optional(),
});

/** Checks `generate`'s options (also those of samplers built on it) and returns G's input draws. */
export function latentDraws(options: GenerateOptions, caller: string): LatentDraws {
  const { gan, count, seed = 0, generator = gan?.generator } = parseOptions(generateSchema, options, caller) as GenerateOptions;
  if (gan?.spec === undefined || typeof gan.generator?.predict !== 'function') throw new InvalidArgumentError(`${caller}: gan must be a GAN from @dgm/models ({ generator, discriminator, spec })`);
  if (typeof generator?.predict !== 'function') throw new InvalidArgumentError(`${caller}: generator must be a tf.LayersModel (e.g. a run's ema), got ${describe(generator)}`);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError(`${caller}: count must be a positive integer, got ${JSON.stringify(count)}`);
  if (!Number.isInteger(seed)) throw new InvalidArgumentError(`${caller}: seed must be an integer, got ${JSON.stringify(seed)}`);
  const classes = resolveClasses(gan.spec, options.classes, caller);
  const random = createRandom({ seed });
  const drawn: number[] = [];
  const { latentDim } = gan.spec;
  return {
    next(n) {
      const labels = Int32Array.from({ length: classes.length === 0 ? 0 : n }, (_, i) => classes[(drawn.length + i) % classes.length]!);
      drawn.push(...labels);
      return { z: Float32Array.from({ length: n * latentDim }, () => random.normal()), labels };
    },
    labels: () => Int32Array.from(drawn),
  };
}

/** G's images [n, h, w, c] in [−1, 1] for the next n draws. */
export function generateBatch(gan: Gan, generator: tfl.LayersModel, draws: LatentDraws, n: number): tf.Tensor4D {
  const { z, labels } = draws.next(n);
  return tf.tidy(() => {
    const latents = tf.tensor2d(z, [n, gan.spec.latentDim]);
    const inputs = generatorInputs(gan.spec, latents, labels.length === 0 ? undefined : tf.tensor2d(labels, [n, 1], 'int32'));
    return generator.predict(inputs) as tf.Tensor4D;
  });
}

/**
 * `count` images of a GAN's generator, in [−1, 1], from standard normal latents drawn from
 * `seed`; a conditional G draws `classes` in turn (by index or name). `labels` are the classes
 * of the images (undefined for unconditional families).
 */
export function generate(options: GenerateOptions): { readonly images: tf.Tensor4D; readonly labels: Int32Array | undefined } {
  const draws = latentDraws(options, 'generate');
  const { gan, count, generator = gan.generator, batchSize = 250 } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`generate: batchSize must be a positive integer, got ${JSON.stringify(batchSize)}`);
  const parts: tf.Tensor4D[] = [];
  let images: tf.Tensor4D;
  try {
    for (let done = 0; done < count; done += batchSize) parts.push(generateBatch(gan, generator, draws, Math.min(batchSize, count - done)));
    images = parts.length === 1 ? parts[0]! : tf.concat(parts);
  } catch (error) {
    tf.dispose(parts);
    throw error;
  }
  if (parts.length > 1) tf.dispose(parts);
  const labels = draws.labels();
  return { images, labels: labels.length === 0 ? undefined : labels };
}

function describe(value: unknown): string {
  return value === null || typeof value !== 'object' ? String(value) : `an object with ${Object.keys(value).slice(0, 4).join(', ') || 'no'} keys`;
}
