import { DatasetFormatError } from '@dgm/core';
import { gunzipBounded, type BoundedInflate } from './gunzip-bounded.js';

/**
 * The IDX format of MNIST and Fashion-MNIST (gzipped or not): a big-endian header
 * (0x00 0x00, type 0x08 = unsigned byte, rank) with one 32-bit size per dimension, then the data.
 */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

export interface ParseIdxOptions {
  readonly rank: 1 | 3;
  /** Most bytes of data (after the header) the caller expects, and why, for messages. */
  readonly limit: { readonly bytes: number; readonly why: string };
  /** How a gzipped file is inflated (see gunzipBounded). */
  readonly inflate?: BoundedInflate | undefined;
}

/**
 * Parses an IDX file, refusing from the gzip trailer or the IDX header, before inflating or
 * allocating, one that declares more data than `limit`.
 */
export function parseIdx(bytes: Uint8Array, file: string, { rank, limit, inflate }: ParseIdxOptions): IdxArray {
  const headerBytes = 4 + 4 * rank;
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipBounded(bytes, file, { bytes: limit.bytes + headerBytes, why: limit.why }, inflate) : bytes;
  if (raw.length < 4) throw new DatasetFormatError(`${file}: truncated IDX file (${raw.length} bytes, no header)`);
  const magic = (raw[0]! << 24) | (raw[1]! << 16) | (raw[2]! << 8) | raw[3]!;
  const expectedMagic = 0x0800 | rank;
  if (magic !== expectedMagic) {
    throw new DatasetFormatError(
      `${file}: wrong IDX magic number 0x${hex(magic)}, expected 0x${hex(expectedMagic)} (unsigned bytes, ${rank} dimension${rank > 1 ? 's' : ''})`,
    );
  }
  if (raw.length < headerBytes) throw new DatasetFormatError(`${file}: truncated IDX header (${raw.length} of ${headerBytes} bytes)`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  if (size > limit.bytes) {
    throw new DatasetFormatError(`${file}: IDX header declares ${dims.join('×')} = ${size} bytes of data, more than ${limit.bytes} (${limit.why})`);
  }
  const found = raw.length - headerBytes;
  if (found !== size) {
    throw new DatasetFormatError(
      `${file}: ${found < size ? 'truncated' : 'trailing data in'} IDX file: header says ${dims.join('×')} = ${size} bytes of data, found ${found}`,
    );
  }
  return { dims, data: raw.subarray(headerBytes) };
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
