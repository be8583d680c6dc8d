import { Gunzip } from 'fflate';
import { DatasetFormatError } from '@dgm/core';

/** Compressed bytes handed to fflate at a time, so that a bomb is stopped after at most ~4 MiB of output. */
const slice = 4 * 1024;

/**
 * Inflates a gzip file of at most `limit` uncompressed bytes, checked before any work from
 * the size its trailer declares (ISIZE), then enforced while inflating (the trailer holds the
 * size modulo 2^32 and may lie): the output never grows past the declared size. `limit`
 * says in words where it comes from, for the message.
 */
/**
 * Inflates gzip `bytes` to exactly `declared` bytes, throwing a RangeError (or the error of
 * its choice) as soon as the output would grow past it. The default uses fflate (any
 * platform); Node's loaders pass one on node:zlib, several times faster.
 */
export type BoundedInflate = (bytes: Uint8Array, declared: number) => Uint8Array;

export class OutputTooLarge extends RangeError {}

export function gunzipBounded(
  bytes: Uint8Array,
  file: string,
  limit: { readonly bytes: number; readonly why: string },
  inflate: BoundedInflate = inflateWithFflate,
): Uint8Array {
  if (bytes.length < 18) throw new DatasetFormatError(`${file}: not a valid gzip file (${bytes.length} bytes, shorter than a gzip header and trailer)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getUint32(bytes.length - 4, true);
  if (declared > limit.bytes) {
    throw new DatasetFormatError(`${file}: gzip trailer declares ${declared} bytes uncompressed, more than ${limit.bytes} (${limit.why})`);
  }
  let out: Uint8Array;
  try {
    out = inflate(bytes, declared);
  } catch (error) {
    if (error instanceof OutputTooLarge || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DatasetFormatError(`${file}: inflates to more than the ${declared} bytes its gzip trailer declares (a corrupt file or a decompression bomb)`, {
        cause: error,
      });
    }
    throw new DatasetFormatError(`${file}: not a valid gzip file (${(error as Error).message})`, { cause: error });
  }
  if (out.length !== declared) throw new DatasetFormatError(`${file}: truncated gzip file: inflated ${out.length} of the ${declared} bytes its trailer declares`);
  return out;
}

function inflateWithFflate(bytes: Uint8Array, declared: number): Uint8Array {
  const out = new Uint8Array(declared);
  let at = 0;
  const inflater = new Gunzip((chunk) => {
    if (at + chunk.length > declared) throw new OutputTooLarge(`more than ${declared} bytes`);
    out.set(chunk, at);
    at += chunk.length;
  });
  for (let i = 0; i < bytes.length; i += slice) inflater.push(bytes.subarray(i, i + slice), i + slice >= bytes.length);
  return out.subarray(0, at);
}
