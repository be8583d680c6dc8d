import { mkdtemp, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { describeWithBackends, expectFailureWithoutLeaks, expectNoLeakedTensors, expectTensorsClose } from '@dgm/core/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { traitsOf } from '../family-traits.js';
import { createModel, vaeModelNames, type VaeModelName } from '../registry.js';
import type { Vae, VaeDecoder } from '../vae-spec.js';
import { loadGan, saveGan } from './save-gan.js';
import { loadVae, saveVae } from './save-vae.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };

function build(name: VaeModelName, decoder: VaeDecoder = 'bernoulli'): Vae {
  const classes = name === 'cvae' ? { numClasses: 10 } : {};
  return createModel(name, { imageShape: [28, 28, 1], latentDim: 4, encoderFilters: 4, decoderFilters: 4, decoder, seed: 5, ...classes } as never);
}
const dispose = (vae: Vae) => {
  vae.encoder.dispose();
  vae.decoder.dispose();
};

/** The encoder's [mean, logVariance] and the decoder's images on fixed inputs, in inference mode. */
function outputs(vae: Vae): Float32Array[] {
  return tf.tidy(() => {
    const traits = traitsOf(vae.spec);
    const x = tf.randomUniform([3, ...vae.spec.imageShape], 0, 1, 'float32', 7);
    const z = tf.randomNormal([3, vae.spec.latentDim], 0, 1, 'float32', 9);
    const labels = tf.tensor2d([[0], [4], [9]], [3, 1], 'int32');
    const codes = vae.encoder.predict(traits.encoderTakesLabels ? [x, labels] : x) as tf.Tensor[];
    const images = vae.decoder.predict(traits.generatorTakesLabels ? [z, labels] : z) as tf.Tensor;
    return [...codes, images].map((t) => t.dataSync() as Float32Array);
  });
}

/** The folder's vae.json rewritten with `edit` applied to its spec. */
async function editSpec(dir: string, edit: (spec: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const path = join(dir, 'vae.json');
  const saved = JSON.parse(await readFile(path, 'utf8'));
  await writeFile(path, JSON.stringify({ ...saved, spec: edit(saved.spec) }));
}

describeWithBackends(
  'saveVae / loadVae',
  () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'dgm-vae-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    for (const name of vaeModelNames) {
      for (const decoder of ['bernoulli', 'gaussian'] as const) {
        it(`${name}, ${decoder}: save → load gives identical outputs and the same spec, leaving no tensor`, async () => {
          await expectNoLeakedTensors(async () => {
            const vae = build(name, decoder);
            await saveVae({ dir, vae });
            expect((await readdir(dir)).sort()).toEqual(['decoder', 'encoder', 'vae.json']);
            const loaded = await loadVae({ dir });
            expect(loaded.spec).toEqual(JSON.parse(JSON.stringify(vae.spec)));
            const [before, after] = [outputs(vae), outputs(loaded)];
            expect(after).toHaveLength(3);
            before.forEach((values, i) => expectTensorsClose(after[i]!, values, { rtol: 0, atol: 0 }));
            dispose(vae);
            dispose(loaded);
          });
        });
      }
    }

    it('refuses models that do not match the spec with CheckpointError, disposing what it loaded', async () => {
      const vae = build('cvae');
      await saveVae({ dir, vae });
      dispose(vae);
      const cases: [string, (spec: Record<string, unknown>) => Record<string, unknown>, string][] = [
        ['latentDim', (spec) => ({ ...spec, latentDim: 7 }), 'encoder outputs should be [[null,7],[null,7]], found [[null,4],[null,4]]'],
        ['imageShape', (spec) => ({ ...spec, imageShape: [32, 32, 3] }), 'encoder inputs should be [[null,32,32,3],[null,1]], found [[null,28,28,1],[null,1]]'],
        ['family', (spec) => ({ ...spec, family: 'vae', conditioning: 'none' }), 'encoder inputs should be [[null,28,28,1]], found [[null,28,28,1],[null,1]]'],
      ];
      const original = await readFile(join(dir, 'vae.json'), 'utf8');
      for (const [, edit, message] of cases) {
        await editSpec(dir, edit);
        await expectFailureWithoutLeaks(() => loadVae({ dir }), { error: CheckpointError, message: `loadVae: ${dir} does not match its spec` });
        await expect(loadVae({ dir })).rejects.toThrow(message);
        await writeFile(join(dir, 'vae.json'), original);
      }
      await editSpec(dir, (spec) => ({ ...spec, decoder: 'poisson' }));
      await expectFailureWithoutLeaks(() => loadVae({ dir }), { error: CheckpointError, message: 'vae.json: spec: decoder: expected one of "bernoulli", "gaussian"' });
    });

    it('a saved GAN does not load as a VAE, nor a saved VAE as a GAN', async () => {
      const gan = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4 });
      const [ganDir, vaeDir] = [join(dir, 'gan'), join(dir, 'vae')];
      await saveGan({ dir: ganDir, gan });
      gan.generator.dispose();
      gan.discriminator.dispose();
      const vae = build('vae');
      await saveVae({ dir: vaeDir, vae });
      dispose(vae);
      const message = (saved: string, wanted: string, file: string, loader: string) => `holds a saved ${saved} (${file}), not a saved ${wanted}; open it with ${loader}`;
      await expectFailureWithoutLeaks(() => loadVae({ dir: ganDir }), { error: CheckpointError, message: `loadVae: ${ganDir} ${message('GAN', 'VAE', 'gan.json', 'loadGan')}` });
      await expectFailureWithoutLeaks(() => loadGan({ dir: vaeDir }), { error: CheckpointError, message: `loadGan: ${vaeDir} ${message('VAE', 'GAN', 'vae.json', 'loadVae')}` });
      // A VAE's manifest under a GAN's name says what it is.
      await rename(join(vaeDir, 'vae.json'), join(vaeDir, 'gan.json'));
      await expectFailureWithoutLeaks(() => loadGan({ dir: vaeDir }), { error: CheckpointError, message: 'gan.json: not a saved GAN: it holds a saved VAE (format dgm-vae/1, expected dgm-gan/1)' });
    });

    it('refuses a vae.json linked outside the folder, and bad options, with typed errors', async () => {
      const vae = build('vae');
      await saveVae({ dir: join(dir, 'vae'), vae });
      const cases: [() => unknown, typeof InvalidArgumentError | typeof CheckpointError, string][] = [
        [() => loadVae(undefined as never), InvalidArgumentError, 'loadVae: expected an options object, got undefined'],
        [() => loadVae({ dir: '' }), InvalidArgumentError, 'loadVae: dir: expected a folder path, got string ""'],
        [() => saveVae({ dir } as never), InvalidArgumentError, 'saveVae: vae: expected object, got undefined'],
        [() => saveVae({ dir, vae: { spec: {} } } as never), InvalidArgumentError, 'saveVae: vae.encoder: expected a tf.LayersModel, got undefined'],
        [() => saveVae({ dir, gan: vae } as never), InvalidArgumentError, 'unknown option "gan"'],
        [() => loadVae({ dir: join(dir, 'nowhere') }), CheckpointError, 'loadVae: cannot read'],
      ];
      for (const [call, error, message] of cases) await expectFailureWithoutLeaks(call, { error, message });
      dispose(vae);
      await rename(join(dir, 'vae', 'vae.json'), join(dir, 'vae.json'));
      await symlink(join(dir, 'vae.json'), join(dir, 'vae', 'vae.json'));
      await expectFailureWithoutLeaks(() => loadVae({ dir: join(dir, 'vae') }), { error: CheckpointError, message: `resolves to ${join(dir, 'vae.json')}, outside the folder` });
    });
  },
  { init },
);
