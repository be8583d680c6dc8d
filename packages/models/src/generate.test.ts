import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import { generate } from './generate.js';
import { createModel } from './registry.js';
import type { Gan } from './spec.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };
const classNames = ['circle', 'square', 'cross'];

/**
 * A fixed conditional "generator" for 2×2 images: pixel k is 1 for class k, −1 elsewhere
 * (pixel 3 is always −1), whatever z: which class an image shows is read off its brightest pixel.
 */
function onePixelGan(): Gan {
  const z = tfl.input({ shape: [2] });
  const label = tfl.input({ shape: [1] });
  const table = [...[0, 1, 2].flatMap((k) => [0, 1, 2, 3].map((p) => (p === k ? 1 : -1)))];
  const embedded = tfl.layers.embedding({ inputDim: 3, outputDim: 4, weights: [tf.tensor2d(table, [3, 4])] }).apply(label) as tfl.SymbolicTensor;
  const zeroZ = tfl.layers.dense({ units: 4, kernelInitializer: 'zeros', useBias: false }).apply(z) as tfl.SymbolicTensor;
  const summed = tfl.layers.add().apply([tfl.layers.flatten().apply(embedded) as tfl.SymbolicTensor, zeroZ]) as tfl.SymbolicTensor;
  const image = tfl.layers.reshape({ targetShape: [2, 2, 1] }).apply(summed) as tfl.SymbolicTensor;
  const generator = tfl.model({ inputs: [z, label], outputs: image });
  const spec = { family: 'cgan', name: 'cgan', imageShape: [2, 2, 1], latentDim: 2, numClasses: 3, classNames, conditioning: 'concat', discriminatorOutputs: ['logit'], options: {} } as const;
  return { generator, discriminator: generator, spec };
}

/** The class each image shows: the index of its brightest pixel. */
const shownClasses = (images: tf.Tensor4D) => tf.tidy(() => Array.from(tf.argMax(tf.reshape(images, [images.shape[0], 4]), 1).dataSync()));

describeWithBackends(
  'generate',
  () => {
    it('draws the asked classes, by name or index, in turn', async () => {
      const gan = onePixelGan();
      await expectNoLeakedTensors(async () => {
        const byName = generate({ gan, count: 7, classes: ['cross', 'circle'], batchSize: 3 });
        expect(Array.from(byName.labels!)).toEqual([2, 0, 2, 0, 2, 0, 2]);
        expect(shownClasses(byName.images)).toEqual([2, 0, 2, 0, 2, 0, 2]);
        const all = generate({ gan, count: 4 });
        expect(shownClasses(all.images)).toEqual([0, 1, 2, 0]);
        const byIndex = generate({ gan, count: 2, classes: [1] });
        expect(shownClasses(byIndex.images)).toEqual([1, 1]);
        tf.dispose([byName.images, all.images, byIndex.images]);
      });
    });

    it('gives the same images however they are batched, and others for another seed', async () => {
      const gan = createModel('cgan', { imageShape: [28, 28, 1], numClasses: 3, generatorFilters: 4, discriminatorFilters: 4 });
      await expectNoLeakedTensors(async () => {
        const whole = generate({ gan, count: 5, seed: 4 });
        const batched = generate({ gan, count: 5, seed: 4, batchSize: 2 });
        const other = generate({ gan, count: 5, seed: 5 });
        expect(whole.images.shape).toEqual([5, 28, 28, 1]);
        const [a, b, c] = [whole, batched, other].map((g) => g.images.dataSync());
        expect(Math.max(...Array.from(a!, (v, i) => Math.abs(v - b![i]!)))).toBeLessThan(1e-5);
        expect(Array.from(c!)).not.toEqual(Array.from(a!));
        tf.dispose([whole.images, batched.images, other.images]);
      });
    });

    it('refuses classes the GAN does not have, with typed errors and no tensors built', async () => {
      const gan = onePixelGan();
      const dcgan = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4 });
      const unnamed: Gan = { ...gan, spec: { ...gan.spec, classNames: undefined as never } };
      const cases: [object, RegExp][] = [
        [{ gan, count: 2, classes: [12] }, /class 12 is not a class of cgan: expected an integer in \[0, 3\); its classes: 0 "circle"/],
        [{ gan, count: 2, classes: [-1] }, /class -1 is not a class/],
        [{ gan, count: 2, classes: [1.5] }, /class 1.5 is not a class/],
        [{ gan, count: 2, classes: ['star'] }, /unknown class "star"; its classes/],
        [{ gan, count: 2, classes: [] }, /non-empty array/],
        [{ gan: unnamed, count: 2, classes: ['circle'] }, /has no class names/],
        [{ gan: dcgan, count: 2, classes: [0] }, /dcgan does not take classes/],
        [{ gan, count: 0 }, /count must be a positive integer, got 0/],
        [{ gan, count: 2, batchSize: 0 }, /batchSize must be a positive integer/],
        [{ count: 2 }, /gan must be a GAN/],
        [{ gan, generator: gan, count: 2 }, /generator must be a tf.LayersModel \(e.g. a run's ema\), got an object with generator, discriminator, spec keys/],
      ];
      await expectNoLeakedTensors(() => {
        for (const [options, message] of cases) {
          let error: unknown;
          try {
            generate(options as never);
          } catch (e) {
            error = e;
          }
          expect(InvalidArgumentError.isInstance(error), JSON.stringify(options, (k, v) => (k === 'gan' ? undefined : v))).toBe(true);
          expect((error as Error).message).toMatch(message);
        }
      });
    });
  },
  { init },
);
