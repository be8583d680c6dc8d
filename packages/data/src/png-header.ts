import { DatasetFormatError } from '@dgm/core';

/** What a PNG's IHDR chunk declares, and the compressed image data its IDAT chunks hold. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  /** Bytes of all IDAT chunks together. */
  readonly idatBytes: number;
  /** Bytes the filtered scanlines take once inflated (one filter byte per row), before any interlacing. */
  readonly rawBytes: number;
}

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const samplesPerPixel: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Reads a PNG's IHDR and walks its chunks (lengths only, nothing inflated), so that the size
 * an image declares can be checked before a decoder allocates or inflates anything.
 * Undecidable input (no signature, no IHDR) is left to the decoder to reject.
 */
export function readPngHeader(bytes: Uint8Array, name: string): PngHeader | undefined {
  if (bytes.length < 33 || !signature.every((b, i) => bytes[i] === b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(12) !== 0x49484452) throw new DatasetFormatError(`${name}: not a valid PNG: the first chunk is not IHDR`);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = bytes[24]!;
  const colorType = bytes[25]!;
  const samples = Object.hasOwn(samplesPerPixel, colorType) ? samplesPerPixel[colorType]! : 4;
  let idatBytes = 0;
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    if (view.getUint32(at + 4) === 0x49444154) idatBytes += length;
    at += 12 + length;
  }
  const rawBytes = height * (1 + Math.ceil((width * samples * bitDepth) / 8));
  return { width, height, bitDepth, colorType, idatBytes, rawBytes };
}

/**
 * Refuses, before decoding, a PNG that declares more than `maxPixels` pixels, or whose
 * compressed data is more than twice what its scanlines take uncompressed (an inflation bomb
 * hidden in a small image; deflate grows incompressible data by well under 2×, interlacing included).
 */
export function checkPngSize(header: PngHeader, name: string, maxPixels: number): void {
  const pixels = header.width * header.height;
  if (pixels > maxPixels) {
    throw new DatasetFormatError(
      `${name}: the PNG declares ${header.width}×${header.height} = ${pixels} pixels, more than maxPixels = ${maxPixels}; pass a larger maxPixels to read it`,
    );
  }
  const bound = 2 * header.rawBytes + 1024;
  if (header.idatBytes > bound) {
    throw new DatasetFormatError(
      `${name}: the PNG holds ${header.idatBytes} bytes of compressed data for a ${header.width}×${header.height} image that needs at most ${Math.ceil(bound)}`,
    );
  }
}
