import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { createRandom } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import { randomTranslate } from './augment.js';
import { diffAugment } from './diff-augment.js';

const [n, h, w] = [12, 7, 6];
const pixels = Float32Array.from({ length: n * h * w }, (_, i) => i / (n * h * w)); // distinct values ≥ 0

/** The (dy, dx) for which image b of `out` is image b of the input moved by whole pixels, `fill` outside; undefined if none. */
function shiftOf(out: Float32Array, b: number, max: number, fill: number): [number, number] | undefined {
  for (let dy = -max; dy <= max; dy++) {
    for (let dx = -max; dx <= max; dx++) {
      let same = true;
      for (let i = 0; i < h && same; i++) {
        for (let j = 0; j < w && same; j++) {
          const [si, sj] = [i + dy, j + dx];
          const expected = si < 0 || sj < 0 || si >= h || sj >= w ? fill : pixels[(b * h + si) * w + sj]!;
          same = out[(b * h + i) * w + j] === expected;
        }
      }
      if (same) return [dy, dx];
    }
  }
  return undefined;
}

describeWithBackends('translations by whole pixels', () => {
  it('randomTranslate and diffAugment move each image by its own drawn offset, in both directions', async () => {
    const images = tf.tensor4d(pixels, [n, h, w, 1]);
    await expectNoLeakedTensors(async () => {
      for (const [name, out, fill, max] of [
        ['randomTranslate', randomTranslate({ images, random: createRandom({ seed: 1 }), max: 2 }), -1, 2],
        ['diffAugment', diffAugment({ images, random: createRandom({ seed: 1 }), policy: ['translation'], translationRatio: 0.34 }), 0, 2],
      ] as const) {
        const values = (await out.data()) as Float32Array;
        out.dispose();
        const draws = createRandom({ seed: 1 });
        for (let b = 0; b < n; b++) {
          const [oy, ox] = [draws.int(2 * max + 1), draws.int(2 * max + 1)];
          expect(shiftOf(values, b, max, fill), `${name} image ${b}`).toEqual([oy - max, ox - max]);
        }
      }
    });
    images.dispose();
  });
});
