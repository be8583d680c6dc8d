import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import { createCvae } from './cvae.js';
import { decodeBatch, decodeLatents, encoderMeans, generateVae, vaeLatentDraws } from './generate-vae.js';
import { createVae } from './vae.js';
import type { Vae, VaeDecoder } from './vae-spec.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };
const tiny = { imageShape: [28, 28, 1] as const, latentDim: 3, encoderFilters: 4, decoderFilters: 4 };

/** A VAE whose decoder outputs the 2×2 image [−3, −0.5, 0.5, 3] whatever z: what its mean image is can be worked out by hand. */
function constantVae(decoder: VaeDecoder): Vae {
  const z = tfl.input({ shape: [2] });
  const weights = [tf.zeros([2, 4]), tf.tensor1d([-3, -0.5, 0.5, 3])];
  const dense = tfl.layers.dense({ units: 4, weights });
  const image = tfl.layers.reshape({ targetShape: [2, 2, 1] }).apply(dense.apply(z)) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: z, outputs: image });
  tf.dispose(weights);
  return { encoder: model, decoder: model, spec: { family: 'vae', name: 'vae', imageShape: [2, 2, 1], latentDim: 2, conditioning: 'none', decoder, options: {} } };
}
const dispose = (vae: Vae) => new Set([vae.encoder, vae.decoder]).forEach((model) => model.dispose());
const values = (images: tf.Tensor) => Array.from(images.dataSync());
const maxDifference = (a: tf.Tensor, b: tf.Tensor) => Math.max(...values(a).map((v, i) => Math.abs(v - values(b)[i]!)));

describeWithBackends(
  'generateVae',
  () => {
    it('gives the decoder mean image in [−1, 1]: 2·sigmoid(logits) − 1, or the Gaussian mean clipped', async () => {
      const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
      const expected = { bernoulli: [-3, -0.5, 0.5, 3].map((v) => 2 * sigmoid(v) - 1), gaussian: [-1, -0.5, 0.5, 1] };
      for (const decoder of ['bernoulli', 'gaussian'] as const) {
        const vae = constantVae(decoder);
        await expectNoLeakedTensors(() => {
          const { images, labels } = generateVae({ vae, count: 2 });
          expect(images.shape).toEqual([2, 2, 2, 1]);
          expect(labels).toBeUndefined();
          values(images).forEach((v, i) => expect(v, decoder).toBeCloseTo(expected[decoder][i % 4]!, 5));
          images.dispose();
        });
        dispose(vae);
      }
    });

    it("gives the mode with image: 'mode': ±1 by the logit's sign (Bernoulli), the clipped mean (Gaussian)", async () => {
      const expected = { bernoulli: [-1, -1, 1, 1], gaussian: [-1, -0.5, 0.5, 1] };
      for (const decoder of ['bernoulli', 'gaussian'] as const) {
        const vae = constantVae(decoder);
        await expectNoLeakedTensors(() => {
          const { images } = generateVae({ vae, count: 2, image: 'mode' });
          values(images).forEach((v, i) => expect(v, decoder).toBeCloseTo(expected[decoder][i % 4]!, 6));
          images.dispose();
        });
        expect(() => generateVae({ vae, count: 2, image: 'median' as never })).toThrow(InvalidArgumentError);
        dispose(vae);
      }
    });

    it("decodeLatents decodes given latents as decodeBatch decodes drawn ones; encoderMeans is the encoder's first output", async () => {
      const cvae = createCvae({ imageShape: [28, 28, 1], latentDim: 3, encoderFilters: 2, decoderFilters: 2, numClasses: 3 });
      const draws = vaeLatentDraws({ vae: cvae, count: 4, seed: 6 }, 'test');
      const given = vaeLatentDraws({ vae: cvae, count: 4, seed: 6 }, 'test').next(4);
      const images = tf.randomUniform([4, 28, 28, 1], -1, 1, 'float32', 2) as tf.Tensor4D;
      const labels = Int32Array.of(0, 2, 1, 0);
      await expectNoLeakedTensors(async () => {
        const [drawn, decoded] = [decodeBatch(cvae, draws, 4), decodeLatents(cvae, given.z, given.labels)];
        expect(values(decoded)).toEqual(values(drawn));
        const means = await encoderMeans(cvae, images, labels);
        const expected = tf.tidy(() => (cvae.encoder.predict([images, tf.tensor2d(labels, [4, 1], 'int32')]) as tf.Tensor[])[0]!);
        expect(Array.from(means)).toEqual(values(expected));
        tf.dispose([drawn, decoded, expected]);
      });
      images.dispose();
      dispose(cvae);
    });

    it('draws the same images however they are batched (7 as 3 + 4), in [−1, 1], and others for another seed', async () => {
      for (const decoder of ['bernoulli', 'gaussian'] as const) {
        const vae = createVae({ ...tiny, decoder });
        await expectNoLeakedTensors(() => {
          const whole = generateVae({ vae, count: 7, seed: 2 });
          const draws = vaeLatentDraws({ vae, count: 7, seed: 2 }, 'test');
          const parts = [decodeBatch(vae, draws, 3), decodeBatch(vae, draws, 4)];
          const batched = tf.concat(parts);
          const other = generateVae({ vae, count: 7, seed: 3, batchSize: 2 });
          expect(whole.images.shape).toEqual([7, 28, 28, 1]);
          expect(maxDifference(whole.images, batched)).toBeLessThan(1e-5);
          expect(values(whole.images).every((v) => v >= -1 && v <= 1)).toBe(true);
          expect(maxDifference(whole.images, other.images)).toBeGreaterThan(1e-3);
          tf.dispose([whole.images, batched, other.images, ...parts]);
        });
        dispose(vae);
      }
    });

    it('a CVAE decodes the classes in turn, and the decoder reads them', async () => {
      const vae = createCvae({ ...tiny, numClasses: 3 });
      await expectNoLeakedTensors(() => {
        const all = generateVae({ vae, count: 7, seed: 1, batchSize: 4 });
        expect(Array.from(all.labels!)).toEqual([0, 1, 2, 0, 1, 2, 0]);
        const [zero, two] = [0, 2].map((c) => generateVae({ vae, count: 2, seed: 1, classes: [c] }));
        expect(Array.from(two!.labels!)).toEqual([2, 2]);
        expect(maxDifference(zero!.images, two!.images)).toBeGreaterThan(1e-4);
        tf.dispose([all.images, zero!.images, two!.images]);
      });
      dispose(vae);
    });

    it('refuses bad options with typed errors, before building anything', async () => {
      const vae = createVae(tiny);
      const cvae = createCvae({ ...tiny, numClasses: 3 });
      const cases: [unknown, RegExp][] = [
        [undefined, /generateVae: expected an options object/],
        [{ vae, count: '2' }, /generateVae: count: expected a finite number/],
        [{ count: 2 }, /vae must be a VAE from @dgm\/models/],
        [{ vae: { ...vae, spec: { ...vae.spec, decoder: 'poisson' } }, count: 2 }, /vae.spec.decoder must be 'bernoulli' or 'gaussian', got string "poisson"/],
        [{ vae, count: 0 }, /count must be a positive integer, got 0/],
        [{ vae, count: 2, seed: 1.5 }, /seed must be an integer/],
        [{ vae, count: 2, batchSize: 0 }, /batchSize must be a positive integer/],
        [{ vae, count: 2, classes: [0] }, /vae does not take classes/],
        [{ vae: cvae, count: 2, classes: [3] }, /class 3 is not a class of cvae: expected an integer in \[0, 3\)/],
      ];
      await expectNoLeakedTensors(() => {
        for (const [options, message] of cases) {
          const before = tf.memory().numTensors;
          expect(() => generateVae(options as never), JSON.stringify(options, (k, v) => (k === 'vae' ? undefined : v))).toThrow(InvalidArgumentError);
          expect(() => generateVae(options as never)).toThrow(message);
          expect(tf.memory().numTensors).toBe(before);
        }
      });
      dispose(vae);
      dispose(cvae);
    });
  },
  { init },
);
