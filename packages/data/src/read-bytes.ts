import * as z from 'zod';
import { DownloadError } from '@dgm/core';

/** Bytes one file a loader reads may have unless its `maxBytes` says otherwise: 512 MiB. */
export const defaultMaxBytes = 2 ** 29;

/** A file's bytes: given in memory, or a URL fetched with the platform's `fetch` (relative URLs resolve against the page). */
export type BytesSource = string | URL | Uint8Array | ArrayBuffer;

export const bytesSourceSchema = z.union([z.string().min(1), z.instanceof(URL), z.instanceof(Uint8Array), z.instanceof(ArrayBuffer)], {
  error: 'expected a URL (string or URL) or bytes (Uint8Array or ArrayBuffer)',
});

/** How a source is named in messages. */
export function sourceName(source: BytesSource, fallback: string): string {
  return typeof source === 'string' || source instanceof URL ? String(source) : fallback;
}

/**
 * The bytes of `source`: given bytes as they are, or the body of a URL, refused past
 * `maxBytes` (its declared length first, then counted while reading, so that a lying server
 * cannot fill the memory).
 */
export async function readBytes(source: BytesSource, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  const url = String(source);
  let response: Response;
  try {
    response = await fetch(source, signal === undefined ? {} : { signal });
  } catch (error) {
    throw new DownloadError(`could not fetch ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok || response.body === null) throw new DownloadError(`could not fetch ${url}: HTTP ${response.status} ${response.statusText}`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw new DownloadError(`${url} declares ${declared} bytes, more than maxBytes = ${maxBytes}`);
  return readBody(response.body, url, maxBytes);
}

async function readBody(body: ReadableStream<Uint8Array>, url: string, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = body.getReader();
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      received += chunk.value.length;
      if (received > maxBytes) throw new DownloadError(`${url} is larger than maxBytes = ${maxBytes}`);
      chunks.push(chunk.value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (DownloadError.isInstance(error)) throw error;
    throw new DownloadError(`fetch of ${url} was cut off after ${received} bytes: ${(error as Error).message}`, { cause: error });
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
