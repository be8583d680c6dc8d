import { readFile } from 'node:fs/promises';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';
import type { FeatureStatistics } from './statistics.js';

/** Feature statistics of a reference set, with what they were measured on. */
export interface ReferenceStatistics extends FeatureStatistics {
  /** The feature extractor's id, e.g. 'mnist-cnn'; FID is only comparable between equal ids. */
  readonly extractor: string;
  /** What the statistics describe, e.g. 'mnist/train'. */
  readonly source: string;
}

const MAGIC = 'dgm-stats/1';

/** Writes reference statistics to one file: a JSON header line, then mean and covariance as little-endian float64. */
export async function saveReferenceStatistics(path: string, stats: ReferenceStatistics): Promise<void> {
  const { mean, covariance, count, dim, extractor, source } = stats ?? ({} as ReferenceStatistics);
  if (mean?.length !== dim || covariance?.length !== dim * dim || typeof extractor !== 'string') {
    throw new InvalidArgumentError('saveReferenceStatistics: expected { mean, covariance, count, dim, extractor, source } of consistent sizes');
  }
  const header = new TextEncoder().encode(`${JSON.stringify({ format: MAGIC, count, dim, extractor, source })}\n`);
  const body = new Float64Array(dim + dim * dim);
  body.set(mean);
  body.set(covariance, dim);
  const bytes = new Uint8Array(header.length + body.byteLength);
  bytes.set(header);
  bytes.set(new Uint8Array(body.buffer), header.length);
  await writeAtomically(path, bytes);
}

export async function loadReferenceStatistics(path: string): Promise<ReferenceStatistics> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CheckpointError(`loadReferenceStatistics: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const newline = bytes.indexOf(10);
  let header: { format?: string; count: number; dim: number; extractor: string; source: string };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, newline)));
  } catch (error) {
    throw new CheckpointError(`${path}: not a statistics file (no JSON header)`, { cause: error });
  }
  const { dim } = header;
  if (header.format !== MAGIC || newline < 0 || bytes.length - newline - 1 !== 8 * (dim + dim * dim)) {
    throw new CheckpointError(`${path}: expected ${MAGIC} with ${8 * (dim + dim * dim)} bytes of float64 after the header, found ${bytes.length - newline - 1}`);
  }
  // Copy into a fresh buffer: a Node Buffer's offset in its pool need not be 8-aligned.
  const body = new Float64Array(new Uint8Array(bytes.subarray(newline + 1)).buffer);
  return { mean: body.slice(0, dim), covariance: body.slice(dim), count: header.count, dim, extractor: header.extractor, source: header.source };
}
