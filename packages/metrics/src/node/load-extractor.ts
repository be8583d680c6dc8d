import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { CheckpointError, InvalidArgumentError, parseOptions } from '@dgm/core';
import { fileSystemHandler } from '@dgm/models/node';
import { classifierExtractor, type ClassifierExtractor } from '../classifier-extractor.js';
import { checkedLater } from '../options.js';
import type { ReferenceStatistics } from '../reference-statistics.js';
import { loadReferenceStatistics } from './reference-statistics-file.js';

/** The extractors shipped in this package (folder extractors/<name>). */
export const shippedExtractors = ['mnist-cnn', 'fashion-mnist-cnn'] as const;
export type ShippedExtractor = (typeof shippedExtractors)[number];

/** A shipped extractor, with its classifier. */
export type LoadedExtractor = ClassifierExtractor;

/**
 * Loads a shipped extractor: a classifier from @dgm/models trained on the dataset's train
 * split (bench/scripts/train-extractors.mjs), 128 features (its `features` layer) and 10 class
 * probabilities, for 28×28×1 images in [−1, 1]. The weights are read from this package (no
 * network) unless `from` names another source: a model.json URL or any tf.io handler.
 */
export async function loadExtractor(options: { name: ShippedExtractor; from?: string | tf.io.IOHandler }): Promise<LoadedExtractor> {
  const { name, from } = parseOptions(z.strictObject({ name: checkedLater, from: fromType.optional() }), options, 'loadExtractor') as typeof options;
  checkName(name, 'loadExtractor');
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(from ?? fileSystemHandler({ dir: shippedPath(name, '') }));
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

/**
 * The statistics of a shipped extractor's features over its dataset's train split (60,000
 * images), shipped with it: FID against the real data without loading the dataset, e.g.
 * `evaluateImages({ extractor, generated, reference: await loadShippedReference({ name: 'mnist-cnn' }) })`.
 */
export async function loadShippedReference(options: { name: ShippedExtractor }): Promise<ReferenceStatistics> {
  const { name } = parseOptions(z.strictObject({ name: checkedLater }), options, 'loadShippedReference') as typeof options;
  checkName(name, 'loadShippedReference');
  return loadReferenceStatistics(shippedPath(name, 'train.stats'));
}

function checkName(name: unknown, caller: string): asserts name is ShippedExtractor {
  if (!shippedExtractors.includes(name as ShippedExtractor)) {
    throw new InvalidArgumentError(`${caller}: unknown extractor ${JSON.stringify(name)}; shipped: ${shippedExtractors.join(', ')}`);
  }
}

/** A file of a shipped extractor's folder (extractors/ beside dist/ and src/). */
function shippedPath(name: ShippedExtractor, file: string): string {
  return fileURLToPath(new URL(`../../extractors/${name}/${file}`, import.meta.url));
}
