import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, initBackend } from '@dgm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGan as loadGanFromUrl } from '../load-from-url.js';
import { createModel } from '../registry.js';
import { expectLoadsOf, weightValues } from '../saved-gan.test-helper.js';
import { createCvae } from '../cvae.js';
import { loadGan, saveGan } from './save-gan.js';
import { loadVae, saveVae } from './save-vae.js';

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  dir = await mkdtemp(join(tmpdir(), 'dgm-url-'));
  server = createServer((request, response) => {
    readFile(join(dir, normalize(decodeURIComponent(request.url ?? '/')))).then(
      (body) => response.writeHead(200).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});


describe('loadGan / loadVae from a URL', () => {
  it('loads a saved folder served over HTTP with the same weights and spec, from both entries', async () => {
    const gan = createModel('cgan', { imageShape: [28, 28, 1], numClasses: 10, generatorFilters: 4, discriminatorFilters: 4, seed: 3 });
    await saveGan({ dir: join(dir, 'cgan'), gan });
    await expectLoadsOf(gan, [() => loadGanFromUrl({ url: `${base}/cgan/` }), () => loadGan({ url: `${base}/cgan` })]);
  });

  it('refuses a missing folder, a missing part and the other kind with CheckpointErrors, leaking nothing', async () => {
    const vae = createCvae({ imageShape: [28, 28, 1], numClasses: 10, latentDim: 4, encoderFilters: 4, decoderFilters: 4, seed: 1 });
    await saveVae({ dir: join(dir, 'cvae'), vae });
    const loaded = await loadVae({ url: `${base}/cvae` });
    expect(weightValues(loaded.decoder)).toEqual(weightValues(vae.decoder));
    const before = tf.memory().numTensors;
    await expect(loadGanFromUrl({ url: `${base}/nothing` })).rejects.toThrow(CheckpointError);
    await expect(loadGanFromUrl({ url: `${base}/nothing` })).rejects.toThrow(/gan\.json: HTTP 404/);
    await expect(loadGanFromUrl({ url: `${base}/cvae` })).rejects.toThrow(/gan\.json: HTTP 404/);
    await rm(join(dir, 'cgan', 'discriminator'), { recursive: true });
    await expect(loadGanFromUrl({ url: `${base}/cgan` })).rejects.toThrow(/cannot load http.*cgan\/discriminator/);
    await expect(loadGanFromUrl({ url: '' })).rejects.toThrow(/expected the URL of a saved folder/);
    expect(tf.memory().numTensors).toBe(before);
    for (const model of [vae.encoder, vae.decoder, loaded.encoder, loaded.decoder]) model.dispose();
  });
});
