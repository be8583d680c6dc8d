import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DownloadError } from '@dgm/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadFile } from './download.js';
import { loadMnist } from './mnist.js';

const body = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256));
const sha256 = createHash('sha256').update(body).digest('hex');

/** A server on 127.0.0.1 with a good file, a truncated response and a corrupted one. */
let server: Server;
let base: string;
const hits: string[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.url!);
    if (request.url === '/good.bin') {
      response.writeHead(200, { 'content-length': body.length });
      response.end(body);
    } else if (request.url === '/truncated.bin') {
      // Announces the whole file, sends half, then drops the connection.
      response.writeHead(200, { 'content-length': body.length });
      response.write(body.subarray(0, body.length / 2), () => response.socket?.destroy());
    } else if (request.url === '/corrupted.bin') {
      const copy = Buffer.from(body);
      copy[1234] = copy[1234]! ^ 0xff;
      response.writeHead(200, { 'content-length': copy.length });
      response.end(copy);
    } else if (request.url?.endsWith('-ubyte.gz')) {
      response.end(gzipSync(Buffer.from('not the real MNIST')));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('downloadFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dgm-download-'));
    hits.length = 0;
  });

  async function failure(url: string): Promise<DownloadError> {
    const error = await downloadFile({ url, sha256, dest: join(dir, 'file.bin'), offlineHint: 'use { dir } instead' }).catch((e: unknown) => e);
    expect(DownloadError.isInstance(error), String(error)).toBe(true);
    // Nothing is left behind: no file at dest and no partial file.
    expect(await readdir(dir)).toEqual([]);
    return error as DownloadError;
  }

  it('downloads, verifies and keeps a file, and does not fetch it again', async () => {
    const dest = join(dir, 'nested', 'file.bin');
    expect(await downloadFile({ url: `${base}good.bin`, sha256, dest })).toBe(dest);
    expect(Buffer.compare(await readFile(dest), body)).toBe(0);
    await downloadFile({ url: `${base}good.bin`, sha256: sha256.toUpperCase(), dest });
    expect(hits).toEqual(['/good.bin']);
    expect(await readdir(join(dir, 'nested'))).toEqual(['file.bin']);
    await rm(dir, { recursive: true });
  });

  it('rejects a truncated response', async () => {
    const error = await failure(`${base}truncated.bin`);
    expect(error.message).toMatch(new RegExp(`download of ${base}truncated.bin (was cut off after |is incomplete: )\\d+`));
  });

  it('rejects a corrupted response by its SHA-256', async () => {
    const error = await failure(`${base}corrupted.bin`);
    expect(error.message).toContain(`download of ${base}corrupted.bin is corrupted: SHA-256 `);
    expect(error.message).toContain(`expected ${sha256} (100000 bytes)`);
  });

  it('reports HTTP errors and unreachable hosts with the URL and the offline alternative', async () => {
    expect((await failure(`${base}missing.bin`)).message).toBe(`could not download ${base}missing.bin: HTTP 404 Not Found; use { dir } instead`);
    // A port nothing listens on: connection refused, as when offline.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(`http://127.0.0.1:${port}/x.bin`);
    expect(error.message).toBe(`could not download http://127.0.0.1:${port}/x.bin: ECONNREFUSED; use { dir } instead`);
  });
});

it('loadMnist({ source: { download } }) verifies what it downloads against the published checksums', async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'dgm-cache-'));
  const error = await loadMnist({ split: 'test', source: { download: { baseUrl: base, cacheDir } } }).catch((e: unknown) => e);
  expect(DownloadError.isInstance(error)).toBe(true);
  expect((error as Error).message).toContain(`download of ${base}t10k-images-idx3-ubyte.gz is corrupted`);
  expect((error as Error).message).toContain('expected 8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6');
  expect(await readdir(join(cacheDir, 'mnist'))).toEqual([]);
  await rm(cacheDir, { recursive: true });
});
