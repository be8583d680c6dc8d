import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, initBackend, InvalidArgumentError } from '@dgm/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCvae } from './cvae.js';
import { loadGan, loadVae } from './load-from-url.js';
import { createModel } from './registry.js';
import { expectLoadsOf, weightValues } from './saved-gan.test-helper.js';
import { saveGan, saveVae } from './save-to-url.js';

// A tf.io store in memory under memory://, registered as an app registers one (IndexedDB's and
// localStorage's routers exist only in browsers; the page's tests use them in Chromium).
const stored = new Map<string, tf.io.ModelArtifacts>();
const memoryHandler = (url: string): tf.io.IOHandler => {
  const key = url.slice('memory://'.length);
  return {
    save: async (artifacts) => (stored.set(key, artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }),
    load: async () => {
      const artifacts = stored.get(key);
      if (artifacts === undefined) throw new Error(`nothing saved at ${key}`);
      return artifacts;
    },
  };
};
// tf.io's routers answer null for URLs that are not theirs, though its type says otherwise.
const router = ((url: string | string[]) => (typeof url === 'string' && url.startsWith('memory://') ? memoryHandler(url) : null)) as Parameters<typeof tf.io.registerSaveRouter>[0];

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
});


describe('saveGan / saveVae to a tf.io store, and back', () => {
  it('gives the same weights and spec, the manifest in the last part, leaking nothing', async () => {
    const gan = createModel('cgan', { imageShape: [28, 28, 1], numClasses: 10, generatorFilters: 4, discriminatorFilters: 4, seed: 3 });
    await saveGan({ url: 'memory://runs/cgan/', gan });
    expect(stored.get('runs/cgan/discriminator')?.userDefinedMetadata?.['dgm']).toMatchObject({ format: 'dgm-gan/1' });
    await expectLoadsOf(gan, [() => loadGan({ url: 'memory://runs/cgan' })]);
  });

  it('refuses the other kind, a missing store and a scheme with no handler, with typed errors', async () => {
    const vae = createCvae({ imageShape: [28, 28, 1], numClasses: 10, latentDim: 4, encoderFilters: 4, decoderFilters: 4, seed: 1 });
    await saveVae({ url: 'memory://cvae', vae });
    const loaded = await loadVae({ url: 'memory://cvae' });
    expect(weightValues(loaded.decoder)).toEqual(weightValues(vae.decoder));
    const before = tf.memory().numTensors;
    await expect(loadGan({ url: 'memory://cvae' })).rejects.toThrow(CheckpointError);
    await expect(loadGan({ url: 'memory://nothing' })).rejects.toThrow(/cannot load memory:\/\/nothing\/discriminator: nothing saved/);
    await expect(loadVae({ url: 'nowhere://cvae' })).rejects.toThrow(InvalidArgumentError);
    await expect(saveVae({ url: 'nowhere://cvae', vae })).rejects.toThrow(/no tf.io save handler for nowhere:\/\//);
    await expect(saveVae({ url: 'https://example.com/cvae', vae })).rejects.toThrow(/expected a tf.io store URL/);
    expect(tf.memory().numTensors).toBe(before);
    for (const model of [vae.encoder, vae.decoder, loaded.encoder, loaded.decoder]) model.dispose();
  });
});
