import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { CheckpointError } from '@dgm/core';
import { describeWithBackends, expectTensorsClose } from '@dgm/core/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { discriminatorInputs, generatorInputs } from '../model-inputs.js';
import { createModel, modelNames } from '../registry.js';
import { loadGan, saveGan } from './save-gan.js';
import type { Gan } from '../spec.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };

/** G's images and D's outputs on fixed inputs, in inference mode. */
function outputs(gan: Gan): Float32Array[] {
  return tf.tidy(() => {
    const z = tf.randomNormal([3, gan.spec.latentDim], 0, 1, 'float32', 9);
    const labels = tf.tensor2d([[0], [4], [9]], [3, 1], 'int32');
    const images = gan.generator.predict(generatorInputs(gan.spec, z, labels)) as tf.Tensor;
    const d = [gan.discriminator.predict(discriminatorInputs(gan.spec, images, labels))].flat() as tf.Tensor[];
    return [images, ...d].map((t) => t.dataSync() as Float32Array);
  });
}

const dispose = (gan: Gan) => {
  gan.generator.dispose();
  gan.discriminator.dispose();
};

describeWithBackends(
  'saveGan / loadGan',
  () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'dgm-gan-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    for (const name of modelNames) {
      it(`${name}: save → load gives identical outputs and the same spec`, async () => {
        const gan = createModel(name, { imageShape: [28, 28, 1], numClasses: 10, generatorFilters: 4, discriminatorFilters: 4, seed: 3 } as never);
        await saveGan({ dir, gan });
        expect((await readdir(dir)).sort()).toEqual(['discriminator', 'gan.json', 'generator']);
        const loaded = await loadGan({ dir });
        expect(loaded.spec).toEqual(JSON.parse(JSON.stringify(gan.spec)));
        const [before, after] = [outputs(gan), outputs(loaded)];
        before.forEach((values, i) => expectTensorsClose(after[i]!, values, { rtol: 0, atol: 0 }));
        dispose(gan);
        dispose(loaded);
      });
    }

    it('keeps the power-iteration state of spectrally normalized layers', async () => {
      const gan = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4, spectralNormalization: true });
      tf.tidy(() => {
        for (let i = 0; i < 3; i++) gan.discriminator.apply(tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', i), { training: true });
      });
      await saveGan({ dir, gan });
      const loaded = await loadGan({ dir });
      outputs(gan).forEach((values, i) => expectTensorsClose(outputs(loaded)[i]!, values, { rtol: 0, atol: 0 }));
      dispose(gan);
      dispose(loaded);
    });

    it('replaces the weights of an earlier save and leaves no temporary file', async () => {
      const gan = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4 });
      await saveGan({ dir, gan });
      gan.generator.setWeights(gan.generator.getWeights().map((w) => tf.mul(w, 2)));
      await saveGan({ dir, gan });
      const files = await readdir(join(dir, 'generator'));
      expect(files.filter((f) => f.endsWith('.bin'))).toHaveLength(1);
      expect(files.some((f) => f.endsWith('.part'))).toBe(false);
      const loaded = await loadGan({ dir });
      outputs(gan).forEach((values, i) => expectTensorsClose(outputs(loaded)[i]!, values, { rtol: 0, atol: 0 }));
      dispose(gan);
      dispose(loaded);
    });

    it('refuses weight paths outside the model folder with CheckpointError', async () => {
      const gan = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4 });
      await saveGan({ dir, gan });
      dispose(gan);
      const modelJson = join(dir, 'generator', 'model.json');
      const original = JSON.parse(await readFile(modelJson, 'utf8'));
      for (const path of ['../discriminator/model.json', '../../../../etc/passwd', '/etc/passwd', 'file:///etc/passwd', 'sub/../../gan.json', '.']) {
        original.weightsManifest[0].paths = [path];
        await writeFile(modelJson, JSON.stringify(original));
        const error = await loadGan({ dir }).catch((e: unknown) => e);
        expect(CheckpointError.isInstance(error), path).toBe(true);
        expect((error as Error).message).toContain(`weight path ${JSON.stringify(path)} is outside the model's folder`);
      }
    });

    it('refuses models whose shapes do not match the spec, and folders that are not saved GANs', async () => {
      const small = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4, latentDim: 16 });
      await saveGan({ dir, gan: small });
      dispose(small);
      const ganJson = join(dir, 'gan.json');
      const saved = JSON.parse(await readFile(ganJson, 'utf8'));
      await writeFile(ganJson, JSON.stringify({ ...saved, spec: { ...saved.spec, latentDim: 100 } }));
      await expect(loadGan({ dir })).rejects.toThrow(/does not match its spec .*generator inputs should be \[\[null,100\]\], found \[\[null,16\]\]/);
      await writeFile(ganJson, JSON.stringify({ ...saved, spec: { ...saved.spec, imageShape: [32, 32, 3] } }));
      await expect(loadGan({ dir })).rejects.toThrow(/generator output should be \[\[null,32,32,3\]\], found \[\[null,28,28,1\]\]/);
      await writeFile(ganJson, JSON.stringify({ format: 'something-else' }));
      await expect(loadGan({ dir })).rejects.toThrow(/not a saved GAN/);
      const missing = await loadGan({ dir: join(dir, 'nowhere') }).catch((e: unknown) => e);
      expect(CheckpointError.isInstance(missing)).toBe(true);
    });
  },
  { init },
);
