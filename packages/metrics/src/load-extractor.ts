import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { classifierLayers, fileSystemHandler } from '@dgm/models';
import { layerExtractor, type FeatureExtractor } from './feature-extractor.js';
import { loadReferenceStatistics, type ReferenceStatistics } from './reference-statistics.js';

/** The extractors shipped in this package (folder extractors/<name>). */
export const shippedExtractors = ['mnist-cnn', 'fashion-mnist-cnn'] as const;
export type ShippedExtractor = (typeof shippedExtractors)[number];

export interface LoadedExtractor extends FeatureExtractor {
  /** The classifier behind it (its `features` layer gives the features, its output the probabilities). */
  readonly model: tfl.LayersModel;
}

/**
 * Loads a shipped extractor: a classifier from @dgm/models trained on the dataset's train
 * split by `scripts/train-extractors.mjs`, 128 features (its `features` layer) and 10 class
 * probabilities, for 28×28×1 images in [−1, 1]. In Node the weights are read from this
 * package (no network); elsewhere pass `from`: the URL of the folder's model.json, or any
 * tf.io handler.
 */
export async function loadExtractor({ name, from }: { name: ShippedExtractor; from?: string | tf.io.IOHandler }): Promise<LoadedExtractor> {
  if (!shippedExtractors.includes(name)) throw new InvalidArgumentError(`loadExtractor: unknown extractor ${JSON.stringify(name)}; shipped: ${shippedExtractors.join(', ')}`);
  const handler = from ?? fileSystemHandler({ dir: shippedPath(name, '') });
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(handler);
  } catch (error) {
    throw new CheckpointError(`loadExtractor: cannot load ${name}: ${(error as Error).message}`, { cause: error });
  }
  const extractor = layerExtractor({ model, layer: classifierLayers.features, probabilities: 'output', id: name });
  return { ...extractor, model };
}

/**
 * The statistics of a shipped extractor's features over its dataset's train split (60,000
 * images), shipped with it: FID against the real data without loading the dataset, e.g.
 * `evaluateImages({ extractor, generated, reference: await loadShippedReference({ name: 'mnist-cnn' }) })`.
 */
export async function loadShippedReference({ name }: { name: ShippedExtractor }): Promise<ReferenceStatistics> {
  if (!shippedExtractors.includes(name)) throw new InvalidArgumentError(`loadShippedReference: unknown extractor ${JSON.stringify(name)}; shipped: ${shippedExtractors.join(', ')}`);
  return loadReferenceStatistics(shippedPath(name, 'train.stats'));
}

function shippedPath(name: ShippedExtractor, file: string): string {
  return fileURLToPath(new URL(`../extractors/${name}/${file}`, import.meta.url));
}
