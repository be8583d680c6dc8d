import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import type { ImageShape } from '@dgm/core';
import { InvalidArgumentError } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import { discriminatorInputs, generatorInputs } from './model-inputs.js';
import { createModel, modelFamilies, modelNames, vaeModelNames, type ModelName } from './registry.js';
import type { Gan } from './spec.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };
const shapes: ImageShape[] = [
  [28, 28, 1],
  [32, 32, 3],
  [64, 64, 3],
];

/** Latents and labels 0, 1, … for a batch of n. */
function batch(gan: Gan, n: number): { z: tf.Tensor; labels: tf.Tensor } {
  const z = tf.randomNormal([n, gan.spec.latentDim], 0, 1, 'float32', 1);
  return { z, labels: tf.tensor2d(Array.from({ length: n }, (_, i) => [i % 10]), [n, 1], 'int32') };
}

describeWithBackends(
  'model zoo',
  () => {
    it('lists every family', () => {
      expect(modelNames).toEqual(['dcgan', 'cgan', 'cgan-projection', 'acgan', 'wgan-gp', 'ssgan-mlp', 'ssgan-conv']);
    });

    it('modelFamilies names the family each registered model builds', () => {
      for (const name of modelNames) {
        const gan = createModel(name, { imageShape: [28, 28, 1], numClasses: 10, generatorFilters: 8, discriminatorFilters: 8 } as never);
        expect(gan.spec.family).toBe(modelFamilies[name]);
        gan.generator.dispose();
        gan.discriminator.dispose();
      }
      for (const name of vaeModelNames) {
        const vae = createModel(name, { imageShape: [28, 28, 1], ...(name === 'cvae' ? { numClasses: 10 } : {}) } as never);
        expect(vae.spec.family).toBe(modelFamilies[name]);
        vae.encoder.dispose();
        vae.decoder.dispose();
      }
    });

    for (const name of modelNames) {
      it(`${name} builds for every supported image shape, with the right output shapes and range`, async () => {
        for (const imageShape of name === 'ssgan-mlp' ? shapes.slice(0, 1) : shapes) {
          const gan = createModel(name, { imageShape, numClasses: 10, generatorFilters: 8, discriminatorFilters: 8 } as never);
          await expectNoLeakedTensors(() =>
            tf.tidy(() => {
              const { z, labels } = batch(gan, 3);
              const images = gan.generator.predict(generatorInputs(gan.spec, z, labels)) as tf.Tensor;
              expect(images.shape, `${name} ${imageShape}`).toEqual([3, ...imageShape]);
              const values = images.dataSync();
              expect(values.every((v) => v >= -1 && v <= 1)).toBe(true);
              const outputs = [gan.discriminator.predict(discriminatorInputs(gan.spec, images, labels))].flat() as tf.Tensor[];
              expect(outputs).toHaveLength(gan.spec.discriminatorOutputs.length);
              gan.spec.discriminatorOutputs.forEach((kind, i) => {
                if (kind === 'logit') expect(outputs[i]!.shape).toEqual([3, 1]);
                if (kind === 'classes') expect(outputs[i]!.shape).toEqual([3, 10]);
                if (kind === 'features') expect(outputs[i]!.shape[0]).toBe(3);
              });
            }),
          );
          expect(gan.spec).toMatchObject({ name, imageShape });
          gan.generator.dispose();
          gan.discriminator.dispose();
        }
      });
    }

    it('gives the same weights for the same seed and different ones for another', () => {
      const weights = (seed: number) => {
        const gan = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4, seed });
        const values = gan.generator.getWeights().map((w) => Array.from(w.dataSync()));
        gan.generator.dispose();
        gan.discriminator.dispose();
        return values;
      };
      expect(weights(3)).toEqual(weights(3));
      expect(weights(4)).not.toEqual(weights(3));
    });

    it('rejects bad options with InvalidArgumentError', () => {
      const cases: [ModelName, object, RegExp][] = [
        ['dcgan', { imageShape: [30, 30, 3] }, /imageShape must be one of \[28, 28, 1\], \[32, 32, 3\], \[64, 64, 3\]/],
        ['dcgan', { imageShape: [28, 28, 1], latentDim: 0 }, /latentDim must be a positive integer/],
        ['cgan', { imageShape: [28, 28, 1] }, /numClasses must be a positive integer/],
        ['wgan-gp', { imageShape: [28, 28, 1], criticNormalization: 'batch' }, /criticNormalization must be 'layer' or 'none'/],
        ['ssgan-mlp', { imageShape: [32, 32, 3] }, /'mlp' variant is for 28×28×1/],
        ['nope' as ModelName, { imageShape: [28, 28, 1] }, /unknown model "nope"; known: dcgan, cgan/],
      ];
      for (const [name, options, message] of cases) {
        let error: unknown;
        try {
          createModel(name, options as never);
        } catch (e) {
          error = e;
        }
        expect(InvalidArgumentError.isInstance(error), `${name} ${JSON.stringify(options)}`).toBe(true);
        expect((error as Error).message).toMatch(message);
      }
    });
  },
  { init },
);
