import * as z from 'zod';
import { createRandom, parseOptions } from '@dgm/core';
import { createDataset, type Dataset } from './dataset.js';
import { datasetSchema } from './options.js';

const schema = z.strictObject({ dataset: datasetSchema, seed: z.int().min(0).max(2 ** 32 - 1).optional() });

export interface BinarizeOptions {
  readonly dataset: Dataset;
  /** Seed of the draws. Default 0: the same seed gives the same pixels. */
  readonly seed?: number;
}

/**
 * The dataset with each pixel drawn once as 0 or 255, black or white with its intensity as the
 * probability of white (stochastically binarized MNIST, as Salakhutdinov & Murray 2008 made
 * it): the fixed binarization a Bernoulli decoder is trained ('static') or tested on.
 * Labels, classes, name and split are kept; the split is suffixed '-binarized'.
 */
export function binarize(options: BinarizeOptions): Dataset {
  const { dataset, seed = 0 } = parseOptions(schema, options, 'binarize');
  const random = createRandom({ seed });
  // One 32-bit draw per pixel (2⁻³² resolution is far below a uint8 intensity's step).
  const threshold = dataset.images instanceof Uint8Array ? 2 ** 32 / 255 : 2 ** 32;
  const images = Uint8Array.from(dataset.images, (v) => (random.uint32() < v * threshold ? 255 : 0));
  return createDataset({ ...dataset, split: `${dataset.split}-binarized`, images }, 'binarize');
}
