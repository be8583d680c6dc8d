import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend } from '@dgm/core';
import { fromArrays } from '@dgm/data';
import { createModel, type ModelName } from '@dgm/models';
import { loadGan } from '@dgm/models/node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryStore } from './checkpoint-store.js';
import { fileSystemStore } from './node/file-system-store.js';
import { disposeGan, tinyGan, toyData } from './toy.test-helper.js';
import { trainGan, type TrainGanOptions } from './train-gan.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

const data = toyData();
let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'dgm-resume-'));
});
afterEach(() => rm(runDir, { recursive: true, force: true }));

const values = (model: { getWeights(): tf.Tensor[] }) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe('exact resume', () => {
  for (const name of ['dcgan', 'wgan-gp', 'acgan'] as ModelName[]) {
    it(`${name}: 3 steps + resume + 4 steps give the same weights, optimizer and EMA as 7 steps`, async () => {
      const options = (gan: ReturnType<typeof tinyGan>): TrainGanOptions => ({ gan, data, batchSize: 10, seed: 3, ema: { decay: 0.9 } });
      const straight = tinyGan(name);
      const whole = await trainGan({ ...options(straight), steps: 7 });

      const interrupted = tinyGan(name);
      const first = await trainGan({ ...options(interrupted), steps: 3, store: fileSystemStore({ runDir }) });
      first.ema?.dispose();
      const resumed = tinyGan(name, 99); // other initial weights: everything must come from the checkpoint
      const rest = await trainGan({ ...options(resumed), steps: 7, store: fileSystemStore({ runDir }), resume: true });
      expect(rest.step).toBe(7);

      expect(values(resumed.generator)).toEqual(values(straight.generator));
      expect(values(resumed.discriminator)).toEqual(values(straight.discriminator));
      expect(values(rest.ema!)).toEqual(values(whole.ema!));
      expect(rest.logs).toEqual({ ...whole.logs, ms: rest.logs!['ms'], imagesPerSecond: rest.logs!['imagesPerSecond'] });
      for (const m of [whole.ema!, rest.ema!]) m.dispose();
      for (const g of [straight, interrupted, resumed]) disposeGan(g);
    });
  }

  it('resumes from an in-memory store to the weights of an uninterrupted run', async () => {
    const options = (gan: ReturnType<typeof tinyGan>): TrainGanOptions => ({ gan, data, batchSize: 10, seed: 5, ema: false });
    const straight = tinyGan('cgan');
    await trainGan({ ...options(straight), steps: 5 });
    const store = memoryStore();
    const interrupted = tinyGan('cgan');
    await trainGan({ ...options(interrupted), steps: 2, store });
    const resumed = tinyGan('cgan', 99);
    const rest = await trainGan({ ...options(resumed), steps: 5, store, resume: true });
    expect(rest.step).toBe(5);
    expect(values(resumed.generator)).toEqual(values(straight.generator));
    expect(values(resumed.discriminator)).toEqual(values(straight.discriminator));
    expect(rest.checkpoint).toBe('memory:step-5');
    for (const g of [straight, interrupted, resumed]) disposeGan(g);
  });

  it('refuses to resume with another seed', async () => {
    const gan = tinyGan('dcgan');
    (await trainGan({ gan, data, steps: 1, batchSize: 10, store: fileSystemStore({ runDir }), seed: 1 })).ema?.dispose();
    await expect(trainGan({ gan, data, steps: 2, batchSize: 10, store: fileSystemStore({ runDir }), resume: true, seed: 2 })).rejects.toThrow(/trained with seed 1, not 2/);
    disposeGan(gan);
  });
});

describe('a process killed while writing a checkpoint', () => {
  it('leaves the previous checkpoint loadable, and training resumes from it', async () => {
    const script = fileURLToPath(new URL('./fixtures/checkpoint-forever.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, runDir], { stdio: 'ignore' });
    const checkpointsDir = join(runDir, 'checkpoints');
    // Wait for a write in progress (a .tmp folder) after at least one complete checkpoint, then SIGKILL.
    const deadline = Date.now() + 60_000;
    let caught = false;
    while (!caught && Date.now() < deadline) {
      const entries = await readdir(checkpointsDir).catch(() => [] as string[]);
      caught = entries.includes('latest.json') && entries.some((e) => e.endsWith('.tmp'));
      if (!caught) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(caught).toBe(true);
    expect((await readdir(checkpointsDir)).some((e) => e.endsWith('.tmp'))).toBe(true); // the write was cut

    const latest = await fileSystemStore({ runDir }).latest();
    const saved = latest!.checkpoint.step;
    expect(saved).toBeGreaterThan(0);
    const loaded = await loadGan({ dir: latest!.where }); // a GAN checkpoint opens as a saved GAN
    disposeGan(loaded);
    const gan = tinyGanLike();
    const result = await trainGan({ gan, data: fixtureData(), steps: saved + 1, batchSize: 8, store: fileSystemStore({ runDir }), resume: true });
    expect(result.step).toBe(saved + 1);
    expect((await readdir(checkpointsDir)).some((e) => e.endsWith('.tmp'))).toBe(false); // cleaned by the next write
    result.ema?.dispose();
    disposeGan(gan);
  }, 90_000);
});

/** The model and data of fixtures/checkpoint-forever.mjs. */
function tinyGanLike() {
  return createModel('dcgan', { imageShape: [28, 28, 1], latentDim: 8, generatorFilters: 16, discriminatorFilters: 16 });
}
function fixtureData() {
  return fromArrays({ images: new Uint8Array(16 * 784).map((_, i) => (i * 13) % 256), shape: [28, 28, 1] });
}
