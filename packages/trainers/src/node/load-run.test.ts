import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { CheckpointError, initBackend, InvalidArgumentError } from '@dgm/core';
import { createModel, generate } from '@dgm/models';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../checkpoint-store.js';
import { loadGanRun } from '../load-gan-run.js';
import { checkpoints } from '../periodic-checkpoints.js';
import { resolveRecipe } from '../recipe.js';
import { disposeGan, tinyGan, toyData } from '../toy.test-helper.js';
import { trainGan } from '../train-gan.js';
import { fileSystemStore } from './file-system-store.js';
import { loadRun } from './load-run.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

const data = toyData(24);
let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'dgm-load-run-'));
});
afterEach(() => rm(runDir, { recursive: true, force: true }));

const values = (model: { getWeights(): tf.Tensor[] }) => model.getWeights().map((w) => Array.from(w.dataSync()));

/** The message and class of what `run` rejects with. */
async function rejection(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('loading a run', () => {
  it('loadRun gives G, D, the EMA generator, the spec with class names, the step and the recipe; generate takes class names', async () => {
    const gan = tinyGan('cgan');
    const trained = await trainGan({ gan, data, steps: 2, batchSize: 6, store: fileSystemStore({ runDir }) });
    expect(trained.gan.spec.classNames).toEqual(['top', 'middle', 'bottom']);
    for (const dir of [runDir, join(runDir, 'checkpoints', 'step-0000002')]) {
      const before = tf.memory().numTensors;
      const run = await loadRun({ dir });
      expect(run).toMatchObject({ step: 2, checkpoint: join(runDir, 'checkpoints', 'step-0000002'), recipe: resolveRecipe('cgan', { batchSize: 6 }) });
      expect(run.spec).toEqual({ ...gan.spec, classNames: ['top', 'middle', 'bottom'] });
      expect(values(run.gan.generator)).toEqual(values(gan.generator));
      expect(values(run.gan.discriminator)).toEqual(values(gan.discriminator));
      expect(values(run.ema!)).toEqual(values(trained.ema!));
      const { images, labels } = generate({ gan: run.gan, generator: run.ema!, count: 4, classes: ['bottom', 'top'] });
      expect(Array.from(labels!)).toEqual([2, 0, 2, 0]);
      const expected = generate({ gan: trained.gan, generator: trained.ema!, count: 4, classes: [2, 0] });
      expect(Array.from(images.dataSync())).toEqual(Array.from(expected.images.dataSync()));
      tf.dispose([images, expected.images]);
      for (const model of [run.gan.generator, run.gan.discriminator, run.ema!]) model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    trained.ema?.dispose();
    disposeGan(gan);
  });

  it('loadGanRun reads a store in memory, and refuses what is not a GAN run', async () => {
    const gan = tinyGan('acgan');
    const store = memoryStore();
    const trained = await trainGan({ gan, data, steps: 1, batchSize: 6, store, ema: false });
    const run = await loadGanRun({ store });
    expect(run).toMatchObject({ step: 1, ema: undefined, checkpoint: 'memory:step-1' });
    expect(values(run.gan.generator)).toEqual(values(gan.generator));
    disposeGan(run.gan);
    expect(trained.ema).toBeUndefined();
    disposeGan(gan);

    const errors = [
      await rejection(() => loadGanRun({ store: memoryStore() })),
      await rejection(() => loadRun({ dir: runDir })),
      await rejection(() => loadRun({ dir: join(runDir, 'missing') })),
    ];
    expect(errors.map((e) => CheckpointError.isInstance(e))).toEqual([true, true, true]);
    expect(errors.map((e) => e.message)).toEqual([
      'loadGanRun: no checkpoint in the store',
      `loadRun: ${runDir} holds neither checkpoints/latest.json (a run folder) nor state.json (a checkpoint folder)`,
      `loadRun: ${join(runDir, 'missing')} does not exist`,
    ]);
    expect(InvalidArgumentError.isInstance(await rejection(() => loadRun({ dir: '' })))).toBe(true);
  });
});

describe('resume checks', () => {
  it('refuses to resume with another family or other widths, naming what differs, before loading anything', async () => {
    const cgan = tinyGan('cgan');
    const first = await trainGan({ gan: cgan, data, steps: 2, batchSize: 6, store: fileSystemStore({ runDir }) });
    first.ema?.dispose();
    const dcgan = tinyGan('dcgan');
    const wider = createModel('cgan', { imageShape: [28, 28, 1], numClasses: 3, latentDim: 8, generatorFilters: 8, discriminatorFilters: 4 });
    const before = values(dcgan.generator);
    const family = await rejection(() => trainGan({ gan: dcgan, data, steps: 4, batchSize: 6, store: fileSystemStore({ runDir }), resume: true }));
    const widths = await rejection(() => trainGan({ gan: wider, data, steps: 4, batchSize: 6, store: fileSystemStore({ runDir }), resume: true }));
    expect(CheckpointError.isInstance(family) && CheckpointError.isInstance(widths)).toBe(true);
    expect(family.message).toContain('name dcgan, not cgan');
    expect(family.message).toContain(join(runDir, 'checkpoints', 'step-0000002'));
    expect(widths.message).toContain('generatorFilters 8, not 4');
    expect(family.message.length + widths.message.length).toBeLessThan(1000); // no tensor dump
    expect(values(dcgan.generator)).toEqual(before);
    for (const g of [cgan, dcgan, wider]) disposeGan(g);
  });

  it('refuses to resume to fewer steps than the checkpoint has, and says when there is nothing to do', async () => {
    const gan = tinyGan('dcgan');
    (await trainGan({ gan, data, steps: 3, batchSize: 6, store: fileSystemStore({ runDir }) })).ema?.dispose();
    const fewer = await rejection(() => trainGan({ gan, data, steps: 2, batchSize: 6, store: fileSystemStore({ runDir }), resume: true }));
    expect(InvalidArgumentError.isInstance(fewer)).toBe(true);
    expect(fewer.message).toMatch(/is at step 3, past the 2 steps asked; ask for more steps/);
    const same = await trainGan({ gan, data, steps: 3, batchSize: 6, store: fileSystemStore({ runDir }), resume: true });
    expect(same).toMatchObject({ step: 3, stoppedBy: 'steps', aborted: false });
    same.ema?.dispose();
    disposeGan(gan);
  });

  it('refuses to start a new run in a store that holds one, and to resume on other data', async () => {
    const gan = tinyGan('cgan');
    (await trainGan({ gan, data, steps: 4, batchSize: 6, store: fileSystemStore({ runDir }), callbacks: [checkpoints({ every: 2 })] })).ema?.dispose();
    const again = await rejection(() => trainGan({ gan, data, steps: 1, batchSize: 6, store: fileSystemStore({ runDir }) }));
    expect(CheckpointError.isInstance(again)).toBe(true);
    expect(again.message).toBe(
      `trainGan: ${runDir} already holds a run (its latest checkpoint: step 4, ${join(runDir, 'checkpoints', 'step-0000004')}); resume: true continues it, or give a store of its own (another runDir) to start anew`,
    );
    expect((await readdir(join(runDir, 'checkpoints'))).sort()).toEqual(['latest.json', 'step-0000002', 'step-0000004']);
    const other = toyData(30);
    const resumed = await rejection(() => trainGan({ gan, data: other, steps: 6, batchSize: 6, store: fileSystemStore({ runDir }), resume: true }));
    expect(InvalidArgumentError.isInstance(resumed)).toBe(true);
    expect(resumed.message).toContain('was trained with data of 24 images of 28×28×1 in classes ["top","middle","bottom"], not 30 images');
    disposeGan(gan);
  });

  it('checkpoints({ every, keep }) keeps the `keep` newest checkpoints, the final one included', async () => {
    const gan = tinyGan('dcgan');
    const result = await trainGan({ gan, data, steps: 6, batchSize: 6, ema: false, store: fileSystemStore({ runDir }), callbacks: [checkpoints({ every: 1, keep: 3 })] });
    expect(result.checkpoint).toBe(join(runDir, 'checkpoints', 'step-0000006'));
    expect((await readdir(join(runDir, 'checkpoints'))).sort()).toEqual(['latest.json', 'step-0000004', 'step-0000005', 'step-0000006']);
    expect(() => checkpoints({ every: 1, keep: 0 })).toThrow(/keep: expected ≥ 1, got number 0/);
    expect(() => checkpoints({ every: 0 })).toThrow(/every: expected ≥ 1/);
    disposeGan(gan);
  });
});
