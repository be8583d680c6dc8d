import { constants, deflateRawSync } from 'node:zlib';

const MiB = 2 ** 20;

/**
 * A gzip file of `prefix` followed by `mebibytes` MiB of zeros, made without compressing
 * them all: one raw-deflate segment of 1 MiB of zeros, ending on a full flush, repeated,
 * then a final empty block. Its trailer declares `declared` bytes (default the true size
 * modulo 2^32) and a CRC of 0 (never reached: a bomb is refused before).
 */
export function gzipBomb(prefix: Uint8Array, mebibytes: number, declared = (prefix.length + mebibytes * MiB) % 2 ** 32): Uint8Array {
  const first = deflateRawSync(new Uint8Array([...prefix, ...new Uint8Array(MiB)]), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const segment = deflateRawSync(new Uint8Array(MiB), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const end = deflateRawSync(new Uint8Array(0));
  const header = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
  const out = new Uint8Array(header.length + first.length + (mebibytes - 1) * segment.length + end.length + 8);
  out.set(header);
  let at = header.length;
  out.set(first, at);
  at += first.length;
  for (let i = 1; i < mebibytes; i++, at += segment.length) out.set(segment, at);
  out.set(end, at);
  new DataView(out.buffer).setUint32(out.length - 4, declared, true);
  return out;
}
