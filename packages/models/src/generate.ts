import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import * as z from 'zod';
import { collectBatches } from './collect-batches.js';
import { drawLatents, type DrawOptions, type LatentDraws } from './latent-draws.js';
import { generatorInputs } from './model-inputs.js';
import { finite } from './options.js';
import type { Gan } from './spec.js';

/** `count`, `classes` (conditional families) and `seed` are those of `drawLatents`. */
export interface GenerateOptions extends DrawOptions {
  /** The GAN (its spec says what G takes). */
  readonly gan: Gan;
  /** The generator to draw from, e.g. the EMA copy of a run. Default gan.generator. */
  readonly generator?: tfl.LayersModel;
  /** Images per forward pass (the result is the same for any). Default 250. */
  readonly batchSize?: number;
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
  const { gan, generator = gan?.generator } = parseOptions(generateSchema, options, caller) as GenerateOptions;
  if (gan?.spec === undefined || typeof gan.generator?.predict !== 'function') throw new InvalidArgumentError(`${caller}: gan must be a GAN from @dgm/models ({ generator, discriminator, spec })`);
  if (typeof generator?.predict !== 'function') throw new InvalidArgumentError(`${caller}: generator must be a tf.LayersModel (e.g. a run's ema), got ${describe(generator)}`);
  return drawLatents(gan.spec, options, caller);
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
  const images = collectBatches(count, batchSize, 'generate', (n) => generateBatch(gan, generator, draws, n));
  const labels = draws.labels();
  return { images, labels: labels.length === 0 ? undefined : labels };
}

function describe(value: unknown): string {
  return value === null || typeof value !== 'object' ? String(value) : `an object with ${Object.keys(value).slice(0, 4).join(', ') || 'no'} keys`;
}
