import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { parseOptions } from '@dgm/core';
import { fileSystemHandler } from '@dgm/models/node';
import { checkExtractorName, loadExtractor as loadExtractorFrom, type LoadedExtractor, type ShippedExtractor } from '../load-extractor.js';
import { checkedLater } from '../options.js';
import type { ReferenceStatistics } from '../reference-statistics.js';
import { loadReferenceStatistics } from './reference-statistics-file.js';

export { shippedExtractors, type LoadedExtractor, type ShippedExtractor } from '../load-extractor.js';

/**
 * Loads a shipped extractor (see the main entry's `loadExtractor`), its weights read from this
 * package (no network) unless `from` names another source: a model.json URL or any tf.io handler.
 */
export async function loadExtractor(options: { name: ShippedExtractor; from?: string | tf.io.IOHandler }): Promise<LoadedExtractor> {
  const { name, from } = parseOptions(z.strictObject({ name: checkedLater, from: z.unknown().optional() }), options, 'loadExtractor') as typeof options;
  checkExtractorName(name, 'loadExtractor');
  return loadExtractorFrom({ name, from: from ?? fileSystemHandler({ dir: shippedPath(name, '') }) });
}

/**
 * The statistics of a shipped extractor's features over its dataset's train split (60,000
 * images), shipped with it: FID against the real data without loading the dataset, e.g.
 * `evaluateImages({ extractor, generated, reference: await loadShippedReference({ name: 'mnist-cnn' }) })`.
 */
export async function loadShippedReference(options: { name: ShippedExtractor }): Promise<ReferenceStatistics> {
  const { name } = parseOptions(z.strictObject({ name: checkedLater }), options, 'loadShippedReference') as typeof options;
  checkExtractorName(name, 'loadShippedReference');
  return loadReferenceStatistics(shippedPath(name, 'train.stats'));
}

/** A file of a shipped extractor's folder (extractors/ beside dist/ and src/). */
function shippedPath(name: ShippedExtractor, file: string): string {
  return fileURLToPath(new URL(`../../extractors/${name}/${file}`, import.meta.url));
}
