import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend, InvalidArgumentError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { decodePng } from '@dgm/data';
import type { Gan } from '@dgm/models';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TrainContext } from '../callbacks.js';
import { disposeGan, tinyGan } from '../toy.test-helper.js';
import { sampleGrids } from './sample-grids.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', fastKernels: false });
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dgm-grids-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The least of a TrainContext that sampleGrids reads. */
const contextOf = (gan: Gan) => ({ gan, ema: undefined, seed: 3, store: undefined }) as unknown as TrainContext;
const pad = 2;
const side = (tiles: number) => tiles * 28 + (tiles + 1) * pad;

describe('sampleGrids', () => {
  it('lays out one column per class for a conditional GAN (column j shows class j, a row shares its latent), with captions', async () => {
    const gan = tinyGan('cgan');
    // Sees what G is asked for, and answers as G does.
    const asked: { z: number[][]; labels: number[] }[] = [];
    const generator = {
      predict: (inputs: tf.Tensor[]) => {
        asked.push({ z: inputs[0]!.arraySync() as number[][], labels: (inputs[1]!.arraySync() as number[][]).map(([l]) => l!) });
        return gan.generator.predict(inputs);
      },
    };
    const context = contextOf({ ...gan, generator } as unknown as Gan);
    const callback = sampleGrids({ every: 2, count: 7, dir, classNames: ['top', 'middle', 'bøttom ψ'] });
    await expectNoLeakedTensors(async () => {
      await callback.onTrainBegin!(context);
      await callback.onBatchEnd!(1, {}, context);
      await callback.onBatchEnd!(2, {}, context);
      await callback.onTrainEnd!(undefined, context);
    });
    expect((await readdir(dir)).sort()).toEqual(['captions.json', 'final.png', 'step-0000002.png']);
    expect(JSON.parse(await readFile(join(dir, 'captions.json'), 'utf8'))).toEqual({ columns: ['top', 'middle', 'bøttom ψ'] });

    // 7 images of 3 classes: round(7 / 3) = 2 rows of 3 columns.
    const grid = decodePng(await readFile(join(dir, 'final.png')));
    expect(grid).toMatchObject({ width: side(3), height: side(2), channels: 1 });
    expect(grid.text).toEqual({ Description: 'One column per class, left to right: ["top","middle","bøttom \\u03c8"]' });
    const { z, labels } = asked[0]!;
    expect(labels).toEqual([0, 1, 2, 0, 1, 2]);
    expect(z.slice(0, 3).every((row) => row.join() === z[0]!.join())).toBe(true);
    expect(z[3]!.join()).not.toBe(z[0]!.join());
    expect(asked.map((a) => a.z.join())).toEqual([z.join(), z.join()]); // the same latents in every grid

    // The tile in row 1, column 2 is G's image of class 2 from row 1's latent.
    const tile = tf.tidy(() => {
      const image = gan.generator.predict([tf.tensor2d([z[3]!]), tf.tensor2d([[2]], [1, 1], 'int32')]) as tf.Tensor;
      return tf.round(tf.mul(tf.add(image, 1), 127.5)).dataSync();
    });
    const [top, left] = [pad + 28 + pad, pad + 2 * (28 + pad)];
    const drawn = Array.from({ length: 28 * 28 }, (_, p) => grid.pixels[(top + Math.floor(p / 28)) * grid.width + left + (p % 28)]);
    expect(drawn).toEqual(Array.from(tile));
    disposeGan(gan);
  });

  it("captions with the spec's class names when not given any", async () => {
    const gan = tinyGan('cgan');
    const named = { ...gan, spec: { ...gan.spec, classNames: ['a', 'b', 'c'] } };
    const callback = sampleGrids({ every: 5, count: 3, dir });
    await expectNoLeakedTensors(async () => {
      await callback.onTrainBegin!(contextOf(named));
      await callback.onTrainEnd!(undefined, contextOf(named));
    });
    expect(JSON.parse(await readFile(join(dir, 'captions.json'), 'utf8'))).toEqual({ columns: ['a', 'b', 'c'] });
    expect(decodePng(await readFile(join(dir, 'final.png')))).toMatchObject({ width: side(3), height: side(1) });
    disposeGan(gan);
  });

  it('gives a non-conditional GAN an about square grid of count images, with no captions', async () => {
    const gan = tinyGan('dcgan');
    const callback = sampleGrids({ every: 5, count: 9, dir });
    await expectNoLeakedTensors(async () => {
      await callback.onTrainBegin!(contextOf(gan));
      await callback.onTrainEnd!(undefined, contextOf(gan));
    });
    expect(await readdir(dir)).toEqual(['final.png']);
    const grid = decodePng(await readFile(join(dir, 'final.png')));
    expect(grid).toMatchObject({ width: side(3), height: side(3), channels: 1 });
    expect(grid.text).toBeUndefined();
    disposeGan(gan);
  });

  it('validates its options', async () => {
    for (const every of [0, 1.5, -2, Number.NaN]) expect(() => sampleGrids({ every })).toThrow(/sampleGrids: every: expected/);
    expect(() => sampleGrids({ every: 1, count: 0 })).toThrow(/count: expected ≥ 1, got number 0/);
    expect(() => sampleGrids({ every: 1, count: 2.5 })).toThrow(InvalidArgumentError);
    expect(() => sampleGrids({ every: 1, dir: '' })).toThrow(/dir: expected a non-empty path/);
    expect(() => sampleGrids({ every: 1, classNames: [1, 2] as never })).toThrow(/classNames\[0\]: expected string, got number 1/);
    const cgan = tinyGan('cgan');
    const dcgan = tinyGan('dcgan');
    await expectNoLeakedTensors(async () => {
      await expect(sampleGrids({ every: 1, dir, classNames: ['a', 'b'] }).onTrainBegin!(contextOf(cgan))).rejects.toThrow(/classNames must name each of cgan's 3 classes, got 2 names/);
      await expect(sampleGrids({ every: 1, dir, classNames: ['a', 'b', 'c'] }).onTrainBegin!(contextOf(dcgan))).rejects.toThrow(/generator takes no labels/);
    });
    disposeGan(cgan);
    disposeGan(dcgan);
  });
});
