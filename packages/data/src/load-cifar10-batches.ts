import * as z from 'zod';
import { parseOptions } from '@dgm/core';
import { datasetFromCifar10Batches } from './cifar10-batches.js';
import { cifar10ClassNames } from './class-names.js';
import type { Dataset } from './dataset.js';
import { plainObject, positiveInt } from './options.js';
import { bytesSourceSchema, defaultMaxBytes, readBytes, sourceName, type BytesSource } from './read-bytes.js';

export interface LoadCifar10BatchesOptions {
  /** Which split the batches make: default 'train' (data_batch_1–5); 'test' is test_batch. */
  readonly split?: 'train' | 'test';
  /** CIFAR-10's binary batch files (`*.bin`), as URLs to fetch or their bytes, in order. */
  readonly source: { readonly batches: readonly BytesSource[] };
  /** Largest batch file read. Default 512 MiB. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

export const cifar10BatchesSchema = plainObject({ batches: z.array(bytesSourceSchema).min(1) });

const schema = z.strictObject({
  split: z.literal(['train', 'test']).optional(),
  source: cifar10BatchesSchema,
  maxBytes: positiveInt.optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

/**
 * CIFAR-10 from binary batch files at URLs (fetched in a browser or in Node) or in memory, as
 * 32×32×3 uint8 NHWC. The Node entry's `loadCifar10` takes these sources too, and folders and
 * the official download.
 */
export async function loadCifar10(options: LoadCifar10BatchesOptions): Promise<Dataset> {
  const { split = 'train', source, maxBytes = defaultMaxBytes, signal } = parseOptions(schema, options, 'loadCifar10');
  const batches = await Promise.all(
    source.batches.map(async (from, i) => ({ path: sourceName(from as BytesSource, `batch ${i + 1}`), bytes: await readBytes(from as BytesSource, maxBytes, signal) })),
  );
  return datasetFromCifar10Batches({ split, batches, classNames: cifar10ClassNames, source: batches.length === 1 ? batches[0]!.path : `${batches.length} batches` });
}
