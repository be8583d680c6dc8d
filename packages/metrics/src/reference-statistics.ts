import { CheckpointError, describeValue, InvalidArgumentError } from '@dgm/core';
import type { FeatureStatistics } from './statistics.js';

/** Feature statistics of a reference set, with what they were measured on. */
export interface ReferenceStatistics extends FeatureStatistics {
  /** The feature extractor's id, e.g. 'mnist-cnn'; FID is only comparable between equal ids. */
  readonly extractor: string;
  /** What the statistics describe, e.g. 'mnist/train'. */
  readonly source: string;
}

const MAGIC = 'dgm-stats/1';

/** Reference statistics as the bytes of one file: a JSON header line, then mean and covariance as little-endian float64. */
export function encodeReferenceStatistics(stats: ReferenceStatistics): Uint8Array {
  const { mean, covariance, count, dim, extractor, source } = stats ?? ({} as ReferenceStatistics);
  if (mean?.length !== dim || covariance?.length !== dim * dim || typeof extractor !== 'string') {
    throw new InvalidArgumentError('encodeReferenceStatistics: expected { mean, covariance, count, dim, extractor, source } of consistent sizes');
  }
  const header = new TextEncoder().encode(`${JSON.stringify({ format: MAGIC, count, dim, extractor, source })}\n`);
  const body = new Float64Array(dim + dim * dim);
  body.set(mean);
  body.set(covariance, dim);
  const bytes = new Uint8Array(header.length + body.byteLength);
  bytes.set(header);
  bytes.set(new Uint8Array(body.buffer), header.length);
  return bytes;
}

/** Reads what `encodeReferenceStatistics` wrote; `file` names the bytes in errors. */
export function decodeReferenceStatistics(bytes: Uint8Array, file = 'reference statistics'): ReferenceStatistics {
  const newline = bytes.indexOf(10);
  let header: { format?: string; count: number; dim: number; extractor: string; source: string };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, newline)));
  } catch (error) {
    throw new CheckpointError(`${file}: not a statistics file (no JSON header)`, { cause: error });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new CheckpointError(`${file}: not a statistics file (its header is ${describeValue(header)}, expected an object with format ${MAGIC})`);
  }
  const { dim } = header;
  if (!Number.isInteger(dim) || dim < 1) throw new CheckpointError(`${file}: not a statistics file (dim ${describeValue(dim)}, expected a positive integer)`);
  if (header.format !== MAGIC || newline < 0 || bytes.length - newline - 1 !== 8 * (dim + dim * dim)) {
    throw new CheckpointError(`${file}: expected ${MAGIC} with ${8 * (dim + dim * dim)} bytes of float64 after the header, found ${bytes.length - newline - 1}`);
  }
  // Copy into a fresh buffer: the bytes' offset in their buffer need not be 8-aligned.
  const body = new Float64Array(new Uint8Array(bytes.subarray(newline + 1)).buffer);
  return { mean: body.slice(0, dim), covariance: body.slice(dim), count: header.count, dim, extractor: header.extractor, source: header.source };
}
