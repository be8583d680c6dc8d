import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { createRandom, initBackend, InvalidArgumentError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { decodePng, fromArrays, type Dataset, type RasterImage } from '@dgm/data';
import { createCvae, createVae, type Vae } from '@dgm/models';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TrainCallback, VaeContext } from '../callbacks.js';
import { reconstructionSeed } from './reconstruction-set.js';
import { vaeGrids } from './vae-grids.js';

const shape = [28, 28, 1] as const;
const tiny = { imageShape: [28, 28, 1], latentDim: 4, encoderFilters: 4, decoderFilters: 4 } as const;
let vae: Vae;
let cvae: Vae;
beforeAll(async () => {
  await initBackend({ backend: 'cpu', fastKernels: false });
  vae = createVae(tiny);
  cvae = createCvae({ ...tiny, numClasses: 3 });
});
afterAll(() => {
  for (const { encoder, decoder } of [vae, cvae]) {
    encoder.dispose();
    decoder.dispose();
  }
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dgm-vae-grids-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** `count` noisy uint8 images, each different, of 3 classes (i mod 3) when labeled. */
function tinyData(count: number, labeled = true): Dataset {
  const random = createRandom({ seed: 5 });
  const images = Uint8Array.from({ length: count * 784 }, () => random.int(256));
  return fromArrays({ images, shape: [...shape], ...(labeled ? { labels: Array.from({ length: count }, (_, i) => i % 3) } : {}) });
}

/** The least of a VaeContext that vaeGrids reads. */
const contextOf = (model: Vae, data: Dataset, seed = 3, location?: string) =>
  ({ vae: model, data, seed, store: location === undefined ? undefined : { location } }) as unknown as VaeContext;

/** Runs the hooks as trainVae would, at `steps`, checking that no tensor is left behind. */
async function run(callback: TrainCallback<VaeContext>, context: VaeContext, steps: readonly number[]): Promise<void> {
  await expectNoLeakedTensors(async () => {
    await callback.onTrainBegin!(context);
    for (const step of steps) await callback.onBatchEnd!(step, {}, context);
    await callback.onTrainEnd!(undefined, context);
  });
}

const pad = 2;
const side = (tiles: number) => tiles * 28 + (tiles + 1) * pad;
const png = async (folder: string, name: string) => decodePng(await readFile(join(folder, name)));
/** The 28×28 tile at (row, column) of a one-channel grid. */
const tile = (grid: RasterImage, row: number, column: number) => {
  const [top, left] = [pad + row * (28 + pad), pad + column * (28 + pad)];
  return Array.from({ length: 784 }, (_, p) => grid.pixels[(top + Math.floor(p / 28)) * grid.width + left + (p % 28)]!);
};
const imageOf = (data: Dataset, i: number) => Array.from(data.images.subarray(i * 784, (i + 1) * 784));

/** The decoder's Bernoulli mean at the encoder's mean for `images` (uint8), as 0–255 bytes, image by image. */
function reconstruct(model: Vae, images: Uint8Array, labels: Int32Array | undefined): number[][] {
  return tf.tidy(() => {
    const n = images.length / 784;
    const x = tf.sub(tf.mul(tf.div(tf.tensor4d(images, [n, 28, 28, 1], 'float32'), 255), 2), 1);
    const y = labels === undefined ? undefined : tf.tensor2d(labels, [n, 1], 'int32');
    const [mean] = model.encoder.predict(y === undefined ? x : [x, y]) as tf.Tensor[];
    const logits = model.decoder.predict(y === undefined ? mean! : [mean!, y]) as tf.Tensor;
    return tf.reshape(tf.round(tf.mul(tf.sigmoid(logits), 255)), [n, 784]).arraySync() as number[][];
  });
}

const expectClose = (actual: number[], expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  expect(Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThanOrEqual(1);
};

describe('vaeGrids', () => {
  it('writes reconstructions (seeded training images beside the decoder at their encoder mean) and samples, every `every` steps and at the end', async () => {
    const data = tinyData(10, false);
    await run(vaeGrids({ every: 2, count: 8, dir }), contextOf(vae, data), [1, 2, 3]);
    expect((await readdir(dir)).sort()).toEqual(['reconstructions-final.png', 'reconstructions-step-0000002.png', 'samples-final.png', 'samples-step-0000002.png']);

    // count 8: 4 training images in 4 rows of one pair (input, reconstruction).
    const grid = await png(dir, 'reconstructions-final.png');
    expect(grid).toMatchObject({ width: side(2), height: side(4), channels: 1 });
    expect(grid.text?.Description).toMatch(/^Pairs of columns/);
    const chosen = Array.from(createRandom({ seed: reconstructionSeed(3) }).permutation(10).subarray(0, 4));
    expect(new Set(chosen).size).toBe(4);
    const expected = reconstruct(vae, Uint8Array.from(chosen.flatMap((i) => imageOf(data, i))), undefined);
    chosen.forEach((index, row) => {
      expect(tile(grid, row, 0)).toEqual(imageOf(data, index));
      expectClose(tile(grid, row, 1), expected[row]!);
    });
    // The model did not change, so every grid of the run shows the same.
    expect(await readFile(join(dir, 'reconstructions-step-0000002.png'))).toEqual(await readFile(join(dir, 'reconstructions-final.png')));

    // count 8 samples: an about square grid of 3 rows of 3.
    const samples = await png(dir, 'samples-final.png');
    expect(samples).toMatchObject({ width: side(3), height: side(3), channels: 1 });
    expect(samples.text).toBeUndefined();
  });

  it('shows the same reconstructions and samples in every run with the same seed, resumed or not, and others with another seed', async () => {
    const data = tinyData(12, false);
    const [first, resumed, other] = [join(dir, 'first'), join(dir, 'resumed'), join(dir, 'other')];
    await run(vaeGrids({ every: 5, count: 6, dir: first }), contextOf(vae, data), [5]);
    await run(vaeGrids({ every: 5, count: 6, dir: resumed }), contextOf(vae, data), [10]);
    await run(vaeGrids({ every: 5, count: 6, dir: other }), contextOf(vae, data, 4), []);
    for (const kind of ['samples', 'reconstructions']) {
      const bytes = await readFile(join(first, `${kind}-final.png`));
      expect(await readFile(join(first, `${kind}-step-0000005.png`))).toEqual(bytes);
      expect(await readFile(join(resumed, `${kind}-final.png`))).toEqual(bytes);
      expect(await readFile(join(other, `${kind}-final.png`))).not.toEqual(bytes);
    }
  });

  it("gives a CVAE one sample column per class (a row shares its latent), with captions, and reconstructs with the images' labels", async () => {
    const data = tinyData(9);
    // Sees what the encoder and decoder are asked for, and answers as they do.
    const asked: { model: 'encoder' | 'decoder'; first: number[][]; labels: number[] }[] = [];
    const spy = (model: 'encoder' | 'decoder') => ({
      predict: (inputs: tf.Tensor[]) => {
        asked.push({ model, first: tf.tidy(() => tf.reshape(inputs[0]!, [inputs[0]!.shape[0], -1]).arraySync() as number[][]), labels: (inputs[1]!.arraySync() as number[][]).map(([l]) => l!) });
        return cvae[model].predict(inputs);
      },
    });
    const watched = { ...cvae, encoder: spy('encoder'), decoder: spy('decoder') } as unknown as Vae;
    await run(vaeGrids({ every: 3, count: 7, dir, classNames: ['a', 'b', 'ψ'] }), contextOf(watched, data), [3]);
    expect((await readdir(dir)).sort()).toEqual(['captions.json', 'reconstructions-final.png', 'reconstructions-step-0000003.png', 'samples-final.png', 'samples-step-0000003.png']);
    expect(JSON.parse(await readFile(join(dir, 'captions.json'), 'utf8'))).toEqual({ columns: ['a', 'b', 'ψ'] });

    // 7 samples of 3 classes: round(7 / 3) = 2 rows of 3 columns, column j showing class j.
    const samples = await png(dir, 'samples-final.png');
    expect(samples).toMatchObject({ width: side(3), height: side(2), channels: 1 });
    expect(samples.text).toEqual({ Description: 'One column per class, left to right: ["a","b","\\u03c8"]' });
    expect(asked.map((a) => a.model)).toEqual(['encoder', 'decoder', 'decoder', 'encoder', 'decoder', 'decoder']);
    const { first: z, labels } = asked[2]!;
    expect(labels).toEqual([0, 1, 2, 0, 1, 2]);
    expect(z.slice(0, 3).every((row) => row.join() === z[0]!.join())).toBe(true);
    expect(z.slice(3).every((row) => row.join() === z[3]!.join())).toBe(true);
    expect(z[3]!.join()).not.toBe(z[0]!.join());

    // count 7: 3 training images, each reconstructed with its own label.
    const chosen = Array.from(createRandom({ seed: reconstructionSeed(3) }).permutation(9).subarray(0, 3));
    const chosenLabels = chosen.map((i) => data.labels![i]!);
    expect(asked[0]!.labels).toEqual(chosenLabels);
    expect(asked[1]!.labels).toEqual(chosenLabels);
    const grid = await png(dir, 'reconstructions-final.png');
    expect(grid).toMatchObject({ width: side(2), height: side(3) });
    const expected = reconstruct(cvae, Uint8Array.from(chosen.flatMap((i) => imageOf(data, i))), Int32Array.from(chosenLabels));
    chosen.forEach((index, row) => {
      expect(tile(grid, row, 0)).toEqual(imageOf(data, index));
      expectClose(tile(grid, row, 1), expected[row]!);
    });
  });

  it("captions a CVAE's columns with the data's class names when neither the options nor the spec name them, in `samples` beside the store", async () => {
    const { images, labels } = tinyData(3);
    const data = fromArrays({ images, shape: [...shape], labels: labels!, classNames: ['x', 'y', 'z'] });
    await run(vaeGrids({ every: 1, count: 3 }), contextOf(cvae, data, 3, dir), []);
    const folder = join(dir, 'samples');
    expect(JSON.parse(await readFile(join(folder, 'captions.json'), 'utf8'))).toEqual({ columns: ['x', 'y', 'z'] });
    expect(await png(folder, 'samples-final.png')).toMatchObject({ width: side(3), height: side(1) });
    // count 3: one pair.
    expect(await png(folder, 'reconstructions-final.png')).toMatchObject({ width: side(2), height: side(1) });
  });

  it('shows float images in [0, 1] as they are, and no more images than the data holds', async () => {
    const bytes = tinyData(2, false).images;
    const data = fromArrays({ images: Float32Array.from(bytes, (v) => v / 255), shape: [...shape] });
    await run(vaeGrids({ every: 1, dir }), contextOf(vae, data), []);
    // count 64 asks for 32 pairs, 4 to a row; the data holds 2 images: one row of 2 pairs.
    const grid = await png(dir, 'reconstructions-final.png');
    expect(grid).toMatchObject({ width: side(4), height: side(1) });
    const chosen = Array.from(createRandom({ seed: reconstructionSeed(3) }).permutation(2));
    chosen.forEach((index, pair) => expect(tile(grid, 0, 2 * pair)).toEqual(Array.from(bytes.subarray(index * 784, (index + 1) * 784))));
    expect(await png(dir, 'samples-final.png')).toMatchObject({ width: side(8), height: side(8) });
  });

  it('validates its options and what it is given', async () => {
    for (const every of [0, 1.5, -2, Number.NaN]) expect(() => vaeGrids({ every })).toThrow(/vaeGrids: every: expected/);
    expect(() => vaeGrids({ every: 0 })).toThrow(InvalidArgumentError);
    expect(() => vaeGrids({ every: 1, count: 0 })).toThrow(/vaeGrids: count: expected ≥ 1, got number 0/);
    expect(() => vaeGrids({ every: 1, dir: '' })).toThrow(/dir: expected a non-empty path/);
    expect(() => vaeGrids({ every: 1, classNames: [1, 2] as never })).toThrow(/classNames\[0\]: expected string, got number 1/);
    expect(() => vaeGrids({ every: 1, evry: 2 } as never)).toThrow(InvalidArgumentError);
    const begin = (context: VaeContext, classNames?: string[]) => vaeGrids({ every: 1, dir, ...(classNames === undefined ? {} : { classNames }) }).onTrainBegin!(context);
    await expectNoLeakedTensors(async () => {
      await expect(begin(contextOf(cvae, tinyData(3)), ['a', 'b'])).rejects.toThrow(/vaeGrids: classNames must name each of cvae's 3 classes, got 2 names/);
      await expect(begin(contextOf(vae, tinyData(3)), ['a', 'b', 'c'])).rejects.toThrow(/vaeGrids: .*vae's decoder takes no labels/);
      await expect(begin(contextOf(cvae, tinyData(3, false)))).rejects.toThrow(/vaeGrids: cvae's encoder takes labels, but the data has none/);
      const rgb = fromArrays({ images: new Uint8Array(2 * 28 * 28 * 3), shape: [28, 28, 3] });
      await expect(begin(contextOf(vae, rgb))).rejects.toThrow(InvalidArgumentError);
    });
    expect(await readdir(dir)).toEqual([]);
  });
});
