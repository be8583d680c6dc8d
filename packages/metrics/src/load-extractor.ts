import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { CheckpointError, InvalidArgumentError, parseOptions } from '@dgm/core';
import { classifierExtractor, type ClassifierExtractor } from './classifier-extractor.js';
import { checkedLater } from './options.js';

/** The extractors shipped in this package (folder extractors/<name>, also exported as `@dgm/metrics/extractors/<name>/…`). */
export const shippedExtractors = ['mnist-cnn', 'fashion-mnist-cnn'] as const;
export type ShippedExtractor = (typeof shippedExtractors)[number];

/** A shipped extractor, with its classifier. */
export type LoadedExtractor = ClassifierExtractor;

/**
 * Loads a shipped extractor from where its files are: a classifier from @dgm/models trained on
 * the dataset's train split (bench/scripts/train-extractors.mjs), 128 features (its `features`
 * layer) and 10 class probabilities, for 28×28×1 images in [−1, 1]. `from`: the URL of its
 * model.json (a page serving the package's `extractors/<name>/` folder) or any tf.io handler.
 * The Node entry's `loadExtractor` reads the package's own copy when `from` is left out.
 */
export async function loadExtractor(options: { name: ShippedExtractor; from: string | tf.io.IOHandler }): Promise<LoadedExtractor> {
  const { name, from } = parseOptions(z.strictObject({ name: checkedLater, from: fromType }), options, 'loadExtractor') as typeof options;
  checkExtractorName(name, 'loadExtractor');
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(from);
  } catch (error) {
    if (CheckpointError.isInstance(error)) throw error;
    throw new CheckpointError(`loadExtractor: cannot load ${name}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return classifierExtractor({ model, id: name });
  } catch (error) {
    model.dispose();
    throw error;
  }
}

const fromType = z.custom<string | tf.io.IOHandler>(
  (v) => (typeof v === 'string' && v !== '') || (typeof v === 'object' && v !== null && typeof (v as tf.io.IOHandler).load === 'function'),
  { error: 'expected a model.json URL or a tf.io.IOHandler with load()' },
);

export function checkExtractorName(name: unknown, caller: string): asserts name is ShippedExtractor {
  if (!shippedExtractors.includes(name as ShippedExtractor)) {
    throw new InvalidArgumentError(`${caller}: unknown extractor ${JSON.stringify(name)}; shipped: ${shippedExtractors.join(', ')}`);
  }
}
