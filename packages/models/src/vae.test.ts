import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import { supportedImageShapes } from './architecture.js';
import { traitsOf } from './family-traits.js';
import { createModel, vaeModelNames, type VaeModelName } from './registry.js';
import type { Vae, VaeDecoder } from './vae-spec.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };
const tiny = { latentDim: 3, encoderFilters: 4, decoderFilters: 4 };
const decoders: VaeDecoder[] = ['bernoulli', 'gaussian'];

function build(name: VaeModelName, options: object = {}): Vae {
  return createModel(name, { imageShape: [28, 28, 1], ...tiny, ...(name === 'cvae' ? { numClasses: 10 } : {}), ...options } as never);
}
function dispose(vae: Vae): void {
  vae.encoder.dispose();
  vae.decoder.dispose();
}
/** The encoder's and the decoder's inputs, with the labels where the family's models take them. */
function inputs(vae: Vae, x: tf.Tensor, z: tf.Tensor, labels: tf.Tensor): { encoder: tf.Tensor | tf.Tensor[]; decoder: tf.Tensor | tf.Tensor[] } {
  const traits = traitsOf(vae.spec);
  return { encoder: traits.encoderTakesLabels ? [x, labels] : x, decoder: traits.generatorTakesLabels ? [z, labels] : z };
}
const labelsOf = (classes: number[]) => tf.tensor2d(classes.map((c) => [c]), [classes.length, 1], 'int32');

describeWithBackends(
  'VAE family',
  () => {
    for (const name of vaeModelNames) {
      for (const decoder of decoders) {
        it(`${name}, ${decoder} decoder: encoder → [mean, logVariance] [n, latentDim], decoder → [n, h, w, c] linear, at every image shape`, async () => {
          for (const imageShape of supportedImageShapes) {
            const vae = build(name, { imageShape, decoder });
            await expectNoLeakedTensors(() =>
              tf.tidy(() => {
                const x = tf.randomUniform([3, ...imageShape], 0, 1, 'float32', 1);
                const labels = labelsOf([0, 4, 9]);
                const [mean, logVariance] = vae.encoder.predict(inputs(vae, x, x, labels).encoder) as tf.Tensor[];
                expect([mean!.shape, logVariance!.shape], `${name} ${imageShape}`).toEqual([[3, 3], [3, 3]]);
                const output = vae.decoder.predict(inputs(vae, x, mean!, labels).decoder) as tf.Tensor;
                expect(output.shape, `${name} ${imageShape}`).toEqual([3, ...imageShape]);
                expect(output.dataSync().every(Number.isFinite)).toBe(true);
              }),
            );
            expect(vae.encoder.outputNames).toEqual(['mean', 'logVariance']);
            expect(vae.decoder.outputNames).toEqual([decoder === 'bernoulli' ? 'logits' : 'mean']);
            const last = vae.decoder.layers[vae.decoder.layers.length - 1]!;
            expect(last.getConfig()['activation']).toBe('linear');
            expect(vae.spec).toMatchObject({ family: name, name, imageShape, latentDim: 3, decoder, conditioning: name === 'cvae' ? 'concat' : 'none' });
            expect(vae.spec.gaussianLogVariance).toBe(decoder === 'gaussian' ? 0 : undefined);
            dispose(vae);
          }
        });
      }
    }

    it('cvae: the same z with different labels gives different images, and the same image different codes', async () => {
      const vae = build('cvae');
      await expectNoLeakedTensors(() =>
        tf.tidy(() => {
          const z = tf.tile(tf.randomNormal([1, 3], 0, 1, 'float32', 2), [10, 1]);
          const labels = labelsOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
          const images = (vae.decoder.predict([z, labels]) as tf.Tensor).arraySync() as number[][][][];
          const x = tf.tile(tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 3), [10, 1, 1, 1]);
          const [mean] = (vae.encoder.predict([x, labels]) as tf.Tensor[]).map((t) => t.arraySync() as number[][]);
          for (let a = 0; a < 10; a++) {
            for (let b = a + 1; b < 10; b++) {
              expect(images[a], `decoder, labels ${a} and ${b}`).not.toEqual(images[b]);
              expect(mean![a], `encoder, labels ${a} and ${b}`).not.toEqual(mean![b]);
            }
          }
        }),
      );
      dispose(vae);
    });

    it('gives the same weights for the same seed and different ones for another', () => {
      for (const name of vaeModelNames) {
        const weights = (seed: number) => {
          const vae = build(name, { seed });
          const values = [...vae.encoder.getWeights(), ...vae.decoder.getWeights()].map((w) => Array.from(w.dataSync()));
          dispose(vae);
          return values;
        };
        expect(weights(3), name).toEqual(weights(3));
        expect(weights(4), name).not.toEqual(weights(3));
      }
    });

    for (const name of vaeModelNames) {
      for (const decoder of decoders) {
        it(`${name}, ${decoder} decoder: the negative ELBO has finite, non-zero gradients for every trainable weight`, async () => {
          const vae = build(name, { decoder });
          const weights = [...vae.encoder.trainableWeights, ...vae.decoder.trainableWeights];
          const variables = weights.map((w) => w.read() as tf.Variable);
          await expectNoLeakedTensors(() =>
            tf.tidy(() => {
              const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 5);
              const labels = labelsOf([1, 3, 5, 7]);
              const epsilon = tf.randomNormal([4, 3], 0, 1, 'float32', 6);
              const { value, grads } = tf.variableGrads(() => negativeElbo(vae, x, labels, epsilon, decoder), variables);
              expect(Number.isFinite(value.dataSync()[0])).toBe(true);
              const missing = weights.filter((_, i) => grads[variables[i]!.name] === undefined).map((w) => w.name);
              expect(missing, 'weights without a gradient').toEqual([]);
              const bad = weights.filter((_, i) => !gradientIsUseful(grads[variables[i]!.name]!)).map((w) => w.name);
              expect(bad, 'weights whose gradient is not finite or is all zero').toEqual([]);
            }),
          );
          dispose(vae);
        });
      }
    }
  },
  { init },
);

/**
 * −ELBO in training mode with z = μ + σ·ε: Bernoulli (sigmoid cross-entropy, softplus(l) − x·l)
 * or unit-variance Gaussian reconstruction, plus KL(q ‖ N(0, I)); summed per image, batch mean.
 */
function negativeElbo(vae: Vae, x: tf.Tensor, labels: tf.Tensor, epsilon: tf.Tensor, decoder: VaeDecoder): tf.Scalar {
  const [mean, logVariance] = vae.encoder.apply(inputs(vae, x, x, labels).encoder, { training: true }) as tf.Tensor[];
  const z = tf.add(mean!, tf.mul(tf.exp(tf.mul(logVariance!, 0.5)), epsilon));
  const output = vae.decoder.apply(inputs(vae, x, z, labels).decoder, { training: true }) as tf.Tensor;
  const pixels = decoder === 'bernoulli' ? tf.sub(tf.softplus(output), tf.mul(x, output)) : tf.mul(tf.square(tf.sub(x, output)), 0.5);
  const reconstruction = tf.sum(pixels, [1, 2, 3]);
  const kl = tf.mul(tf.sum(tf.sub(tf.sub(tf.add(logVariance!, 1), tf.square(mean!)), tf.exp(logVariance!)), 1), -0.5);
  return tf.mean(tf.add(reconstruction, kl));
}

function gradientIsUseful(gradient: tf.Tensor): boolean {
  const values = gradient.dataSync();
  return values.every(Number.isFinite) && values.some((v) => v !== 0);
}
