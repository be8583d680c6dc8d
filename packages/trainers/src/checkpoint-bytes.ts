import { CheckpointError, isPlainObject } from '@dgm/core';
import type { Checkpoint } from './checkpoint-store.js';

// One file for a checkpoint (a download from a page, an upload back): "DGMCKPT1", the header's
// length (uint32 LE), a JSON header in which every binary part is {"$binary": i}, then the
// binary parts, each at an offset that is a multiple of 8 so that typed arrays view them in place.
const magic = 'DGMCKPT1';
const binaryTypes = { ArrayBuffer, Uint8Array, Int32Array, Float32Array, Float64Array } as const;
type BinaryType = keyof typeof binaryTypes;

interface BinaryRef {
  readonly $binary: number;
  readonly type: BinaryType;
  readonly offset: number;
  readonly bytes: number;
}

/** A checkpoint (from any store's `latest()`) as the bytes of one file: `checkpointFromBytes` gives it back exactly. */
export function checkpointToBytes(checkpoint: Checkpoint): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const header = JSON.stringify(checkpoint, function (this: unknown, key: string, value: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    const type = (Object.keys(binaryTypes) as BinaryType[]).find((name) => raw instanceof binaryTypes[name]);
    if (type === undefined) return value;
    const bytes = raw instanceof ArrayBuffer ? new Uint8Array(raw) : new Uint8Array((raw as ArrayBufferView).buffer, (raw as ArrayBufferView).byteOffset, (raw as ArrayBufferView).byteLength);
    const ref: BinaryRef = { $binary: parts.length, type, offset, bytes: bytes.length };
    parts.push(bytes);
    offset += Math.ceil(bytes.length / 8) * 8;
    return ref;
  });
  const headerBytes = new TextEncoder().encode(header);
  const start = Math.ceil((12 + headerBytes.length) / 8) * 8;
  const out = new Uint8Array(start + offset);
  out.set(new TextEncoder().encode(magic));
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  let at = start;
  for (const part of parts) {
    out.set(part, at);
    at += Math.ceil(part.length / 8) * 8;
  }
  return out;
}

/** The checkpoint in bytes `checkpointToBytes` wrote (a CheckpointError names what is wrong with other bytes). */
export function checkpointFromBytes(bytes: Uint8Array, source = 'the checkpoint file'): Checkpoint {
  const fail = (why: string): never => {
    throw new CheckpointError(`${source}: not a dgm checkpoint file (${why})`);
  };
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== magic) fail(`it does not start with ${magic}`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerLength > bytes.length) fail(`its header of ${headerLength} bytes is cut off`);
  const start = bytes.byteOffset + Math.ceil((12 + headerLength) / 8) * 8;
  // A copy, so that the arrays are aligned and do not share the caller's buffer.
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let checkpoint: unknown;
  try {
    checkpoint = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)), (_key, value: unknown) =>
      isPlainObject(value) && '$binary' in value ? binaryPart(value as unknown as BinaryRef, buffer, start - bytes.byteOffset, fail) : value,
    );
  } catch (error) {
    if (CheckpointError.isInstance(error)) throw error;
    return fail(`its header is not JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(checkpoint) || typeof checkpoint['step'] !== 'number' || typeof checkpoint['format'] !== 'string') fail('no step and format in its header');
  return checkpoint as unknown as Checkpoint;
}

function binaryPart({ type, offset, bytes }: BinaryRef, buffer: ArrayBuffer, start: number, fail: (why: string) => never): ArrayBuffer | ArrayBufferView {
  const Type = binaryTypes[type];
  const at = start + offset;
  if (Type === undefined || !Number.isInteger(offset) || !Number.isInteger(bytes) || offset < 0 || at + bytes > buffer.byteLength) fail(`a binary part of ${bytes} bytes at ${offset} lies outside the file`);
  if (Type === ArrayBuffer) return buffer.slice(at, at + bytes);
  const { BYTES_PER_ELEMENT } = Type as Exclude<(typeof binaryTypes)[BinaryType], ArrayBufferConstructor>;
  if (bytes % BYTES_PER_ELEMENT !== 0) fail(`a ${type} of ${bytes} bytes`);
  return new (Type as Float32ArrayConstructor)(buffer, at, bytes / BYTES_PER_ELEMENT);
}
