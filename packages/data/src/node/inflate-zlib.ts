import { gunzipSync } from 'node:zlib';

/**
 * gzip inflated by node:zlib, never past `declared` bytes: zlib stops with
 * ERR_BUFFER_TOO_LARGE as soon as its output would grow larger (see gunzipBounded).
 */
export function inflateWithZlib(bytes: Uint8Array, declared: number): Uint8Array {
  return gunzipSync(bytes, { maxOutputLength: Math.max(1, declared) });
}
