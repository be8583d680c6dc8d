import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { createRandom } from '@dgm/core';
import { expectNoLeakedTensors, expectTensorsClose } from '@dgm/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gaussianNoise, randomBrightnessContrast, randomCrop, randomFlip, randomTranslate } from './augment.js';
import { diffAugment } from './diff-augment.js';

let images: tf.Tensor4D;
beforeAll(async () => {
  await tf.setBackend('cpu');
  // 6 images of 5×4×3 with distinct values in [-1, 1].
  images = tf.tidy(() => tf.reshape(tf.sub(tf.div(tf.range(0, 6 * 5 * 4 * 3), (6 * 5 * 4 * 3) / 2), 1), [6, 5, 4, 3]) as tf.Tensor4D);
});
afterAll(() => images.dispose());

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const image = (t: tf.Tensor4D, i: number) => tf.slice(t, [i, 0, 0, 0], [1, -1, -1, -1]);

describe('augmentations', () => {
  it('flipping twice with the same draws is the identity, and flips only the chosen images', async () => {
    await expectNoLeakedTensors(() => {
      const once = randomFlip({ images, random: createRandom({ seed: 3 }) });
      const twice = randomFlip({ images: once, random: createRandom({ seed: 3 }) });
      expectTensorsClose(twice, images, { rtol: 0, atol: 0 });
      const flippedImages = [0, 1, 2, 3, 4, 5].filter((i) => tf.tidy(() => values(image(once, i)).join() !== values(image(images, i)).join()));
      expect(flippedImages.length).toBeGreaterThan(0);
      expect(flippedImages.length).toBeLessThan(6);
      for (const i of flippedImages) tf.tidy(() => expectTensorsClose(image(once, i), tf.reverse(image(images, i), 2), { rtol: 0, atol: 0 }));
      tf.dispose([once, twice]);
    });
  });

  it('random crop keeps the shape and takes a window of the padded image', async () => {
    await expectNoLeakedTensors(() => {
      const cropped = randomCrop({ images, random: createRandom({ seed: 1 }), padding: 2 });
      expect(cropped.shape).toEqual(images.shape);
      // Every value is an input value or the padding (-1): nothing is interpolated.
      const allowed = new Set([...values(images), -1].map((v) => v.toFixed(6)));
      expect(values(cropped).every((v) => allowed.has(v.toFixed(6)))).toBe(true);
      // Padding 0 is the identity.
      const same = randomCrop({ images, random: createRandom({ seed: 1 }), padding: 0 });
      expectTensorsClose(same, images, { rtol: 0, atol: 0 });
      // Translation shifts by whole pixels: some image differs from the input.
      const moved = randomTranslate({ images, random: createRandom({ seed: 2 }), max: 1 });
      expect(values(moved).join()).not.toBe(values(images).join());
      tf.dispose([cropped, same, moved]);
    });
  });

  it('noise and brightness/contrast are seeded and stay in range', async () => {
    await expectNoLeakedTensors(() => {
      const a = gaussianNoise({ images, random: createRandom({ seed: 4 }), stddev: 0.1 });
      const b = gaussianNoise({ images, random: createRandom({ seed: 4 }), stddev: 0.1 });
      expectTensorsClose(a, b, { rtol: 0, atol: 0 });
      const spread = Math.sqrt(tf.tidy(() => tf.mean(tf.square(tf.sub(a, images))).dataSync()[0]!));
      expect(spread).toBeGreaterThan(0.07);
      expect(spread).toBeLessThan(0.13);
      const bc = randomBrightnessContrast({ images, random: createRandom({ seed: 5 }), brightness: 0.5, contrast: 0.5 });
      expect(Math.min(...values(bc))).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...values(bc))).toBeLessThanOrEqual(1);
      expect(values(bc).join()).not.toBe(values(images).join());
      tf.dispose([a, b, bc]);
    });
  });
});

describe('diffAugment', () => {
  it('keeps the shape, is seeded, and lets gradients flow to its input', async () => {
    await expectNoLeakedTensors(() => {
      const out = diffAugment({ images, random: createRandom({ seed: 8 }) });
      expect(out.shape).toEqual(images.shape);
      const again = diffAugment({ images, random: createRandom({ seed: 8 }) });
      expectTensorsClose(out, again, { rtol: 0, atol: 0 });
      const weights = tf.randomNormal(images.shape, 0, 1, 'float32', 1);
      for (const policy of [['color'], ['translation'], ['cutout'], ['color', 'translation', 'cutout']] as const) {
        const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(diffAugment({ images: x as tf.Tensor4D, random: createRandom({ seed: 8 }), policy }), weights)))(images);
        const magnitude = tf.tidy(() => tf.sum(tf.abs(grad)).dataSync()[0]!);
        expect(Number.isFinite(magnitude) && magnitude > 0, policy.join()).toBe(true);
        grad.dispose();
      }
      tf.dispose([out, again, weights]);
    });
  });

  it('translation moves whole images by whole pixels and cutout zeroes a square', () => {
    tf.tidy(() => {
      const ones = tf.ones([4, 8, 8, 1]) as tf.Tensor4D;
      const cut = diffAugment({ images: ones, random: createRandom({ seed: 1 }), policy: ['cutout'] });
      for (let b = 0; b < 4; b++) {
        const zeros = values(image(cut, b)).filter((v) => v === 0).length;
        expect(zeros).toBeGreaterThan(0);
        expect(zeros).toBeLessThanOrEqual(16); // a 4×4 square at most
      }
      const shifted = diffAugment({ images: ones, random: createRandom({ seed: 1 }), policy: ['translation'] });
      expect(values(shifted).every((v) => v === 0 || v === 1)).toBe(true);
    });
  });
});
