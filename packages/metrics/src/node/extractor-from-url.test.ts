import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, initBackend, InvalidArgumentError } from '@dgm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExtractor as loadExtractorFrom } from '../load-extractor.js';
import { loadExtractor } from './load-extractor.js';

const extractorsDir = fileURLToPath(new URL('../../extractors/', import.meta.url));
let server: Server;
let base: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  server = createServer((request, response) => {
    readFile(`${extractorsDir}${(request.url ?? '').replace(/\.\./g, '')}`).then(
      (body) => response.writeHead(200).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('loadExtractor of the main entry', () => {
  it('loads mnist-cnn from a URL with the same outputs as the package copy', async () => {
    const fromUrl = await loadExtractorFrom({ name: 'mnist-cnn', from: `${base}/mnist-cnn/model.json` });
    const local = await loadExtractor({ name: 'mnist-cnn' });
    const images = tf.randomUniform([4, 28, 28, 1], -1, 1, 'float32', 1);
    const [a, b] = [fromUrl, local].map((e) => tf.tidy(() => [e.model.predict(images)].flat().map((t) => Array.from((t as tf.Tensor).dataSync()))));
    expect(a).toEqual(b);
    images.dispose();
    fromUrl.model.dispose();
    local.model.dispose();
  });

  it('refuses a missing URL, an unknown name and a missing source with typed errors', async () => {
    await expect(loadExtractorFrom({ name: 'mnist-cnn', from: `${base}/missing/model.json` })).rejects.toThrow(CheckpointError);
    await expect(loadExtractorFrom({ name: 'cifar-cnn' as never, from: `${base}/mnist-cnn/model.json` })).rejects.toThrow(InvalidArgumentError);
    await expect(loadExtractorFrom({ name: 'mnist-cnn' } as never)).rejects.toThrow(/from: expected a model.json URL/);
  });
});
