import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend, InvalidArgumentError, TrainingError } from '@dgm/core';
import { decodePng, takePerClass } from '@dgm/data';
import { modelNames } from '@dgm/models';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StepLogs, TrainCallback } from './callbacks.js';
import { jsonlLog } from './node/jsonl-log.js';
import { checkpoints } from './periodic-checkpoints.js';
import { progressBar } from './node/progress-bar.js';
import { defaultRecipes, resolveRecipe } from './recipe.js';
import { sampleGrids } from './node/sample-grids.js';
import { fileSystemStore } from './node/file-system-store.js';
import { disposeGan, tinyGan, toyData } from './toy.test-helper.js';
import { trainGan } from './train-gan.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

const data = toyData();
const labeled = takePerClass({ dataset: data, perClass: 4 });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const collect = (into: StepLogs[]): TrainCallback => ({ onBatchEnd: (_step, logs) => void into.push(logs) });

let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'dgm-run-'));
});
afterEach(() => rm(runDir, { recursive: true, force: true }));

describe('trainGan', () => {
  for (const name of modelNames) {
    it(`${name}: D learns to tell the toy data from a fresh G, and the full recipe trains both sides`, async () => {
      const gan = tinyGan(name);
      const logs: StepLogs[] = [];
      // D alone: its loss must go down. (Telling real from fake only: that D also learns to
      // refuse mismatched labels is what conditioning.test.ts checks.)
      await trainGan({ gan, data, labeled, steps: 30, batchSize: 12, ema: false, phases: [{ side: 'discriminator' }], mismatchedLabels: false, callbacks: [collect(logs)] });
      const d = logs.map((l) => l['dLoss']!);
      expect(d.every(Number.isFinite)).toBe(true);
      expect(mean(d.slice(-5)), `${name} D loss ${d.slice(0, 5).map((v) => v.toFixed(3))} → ${d.slice(-5).map((v) => v.toFixed(3))}`).toBeLessThan(mean(d.slice(0, 5)) - 0.1 * Math.abs(mean(d.slice(0, 5))) - 0.05);
      // The family's own recipe: both losses finite, G's weights move.
      const before = gan.generator.getWeights().map((w) => w.dataSync().slice());
      const full: StepLogs[] = [];
      await trainGan({ gan, data, labeled, steps: 3, batchSize: 12, callbacks: [collect(full)] });
      expect(full.every((l) => Number.isFinite(l['dLoss']) && Number.isFinite(l['gLoss']))).toBe(true);
      expect(gan.generator.getWeights().some((w, i) => w.dataSync().some((v, j) => v !== before[i]![j]))).toBe(true);
      if (name === 'wgan-gp') expect(full[0]!['gradientPenalty']).toBeGreaterThan(0);
      if (name === 'acgan' || name.startsWith('ssgan')) expect(Number.isFinite(full[0]!['classLoss'])).toBe(true);
      disposeGan(gan);
    }, 180_000); // the SSGAN's MLP takes tens of seconds while the page's Chromium tests share the cores
  }

  it('uses each family’s recipe with its paper’s hyperparameters, and overrides field by field', () => {
    expect(resolveRecipe('wgan-gp', {})).toMatchObject({ loss: 'wasserstein', regularizers: { gradientPenalty: { weight: 10 } }, phases: [{ side: 'discriminator', repeat: 5 }, { side: 'generator' }] });
    expect(defaultRecipes.dcgan.optimizers.generator).toEqual({ learningRate: 2e-4, beta1: 0.5, beta2: 0.999 });
    const ttur = resolveRecipe('dcgan', { optimizers: { generator: { learningRate: 1e-4 } as never, discriminator: { learningRate: 4e-4 } as never } });
    expect(ttur.optimizers).toEqual({ generator: { learningRate: 1e-4, beta1: 0.5, beta2: 0.999 }, discriminator: { learningRate: 4e-4, beta1: 0.5, beta2: 0.999 } });
    expect(() => resolveRecipe('dcgan', { loss: 'relativistic' as never })).toThrow(InvalidArgumentError);
    expect(() => resolveRecipe('dcgan', { phases: [] })).toThrow(/phases: expected a non-empty list/);
    expect(() => resolveRecipe('wgan-gp', { loss: 'hinge' })).toThrow(/use loss 'wasserstein'/);
    expect(() => resolveRecipe('acgan', { discriminatorClassLoss: 'fake' as never })).toThrow(/discriminatorClassLoss: expected one of "real", "real-and-fake", got string "fake"/);
    expect(() => resolveRecipe('cgan', { mismatchedLabels: 'yes' as never })).toThrow(/mismatchedLabels: expected boolean, got string "yes"/);
    expect(() => resolveRecipe('dcgan', { optimizers: { generator: { learningRate: -1 } as never } as never })).toThrow(/optimizers.generator.learningRate: expected > 0, got number -1/);
  });

  it('rejects data that does not fit the GAN', async () => {
    const gan = tinyGan('cgan');
    const unlabeled = (await import('@dgm/data')).fromArrays({ images: new Uint8Array(784 * 4), shape: [28, 28, 1] });
    await expect(trainGan({ gan, data: unlabeled, steps: 1 })).rejects.toThrow(/needs labeled data/);
    const ssgan = tinyGan('ssgan-conv');
    await expect(trainGan({ gan: ssgan, data, steps: 1 })).rejects.toThrow(/needs labeled/);
    disposeGan(gan);
    disposeGan(ssgan);
  });

  it('logs every step to JSONL, writes sample grids and prints progress lines without a TTY', async () => {
    const gan = tinyGan('cgan-projection');
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const log = join(runDir, 'log.jsonl');
    const callbacks = [jsonlLog({ path: log }), sampleGrids({ every: 2, count: 9 }), progressBar({ stream, logEverySeconds: 3600 })];
    await trainGan({ gan, data, steps: 4, batchSize: 6, store: fileSystemStore({ runDir }), callbacks });
    const records = (await readFile(log, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as StepLogs);
    expect(records.map((r) => r['step'])).toEqual([1, 2, 3, 4]);
    expect(Object.keys(records[0]!)).toEqual(expect.arrayContaining(['step', 'epoch', 'dLoss', 'gLoss', 'ms', 'imagesPerSecond']));
    // The data's class names caption the grid's columns (one per class).
    expect((await readdir(join(runDir, 'samples'))).sort()).toEqual(['captions.json', 'final.png', 'step-0000002.png', 'step-0000004.png']);
    expect(JSON.parse(await readFile(join(runDir, 'samples', 'captions.json'), 'utf8'))).toEqual({ columns: ['top', 'middle', 'bottom'] });
    const grid = decodePng(await readFile(join(runDir, 'samples', 'final.png')), 1);
    expect([grid.width, grid.height]).toEqual([3 * 28 + 4 * 2, 3 * 28 + 4 * 2]);
    // Without a TTY: the first step, then every hour, and the last.
    expect(lines.filter((l) => l.startsWith('step ')).map((l) => l.split(' ')[1])).toEqual(['1/4', '4/4']);
    disposeGan(gan);
  });

  it('stops on abort with a final checkpoint', async () => {
    const gan = tinyGan('dcgan');
    const controller = new AbortController();
    const abortAtThree: TrainCallback = { onBatchEnd: (step) => void (step === 3 && controller.abort()) };
    const result = await trainGan({ gan, data, steps: 10, batchSize: 6, store: fileSystemStore({ runDir }), signal: controller.signal, callbacks: [abortAtThree] });
    expect(result).toMatchObject({ step: 3, aborted: true });
    expect(result.checkpoint).toBe(join(runDir, 'checkpoints', 'step-0000003'));
    expect(JSON.parse(await readFile(join(runDir, 'checkpoints', 'latest.json'), 'utf8'))).toEqual({ checkpoint: 'step-0000003' });
    result.ema?.dispose();
    disposeGan(gan);
  });

  it('stops at an AbortSignal.timeout with no callbacks (the loop lets timers run between steps)', async () => {
    const gan = tinyGan('dcgan');
    const started = performance.now();
    const result = await trainGan({ gan, data, steps: 1_000_000, batchSize: 6, ema: false, signal: AbortSignal.timeout(1000) });
    const seconds = (performance.now() - started) / 1000;
    expect(result.aborted).toBe(true);
    expect(result.step).toBeGreaterThan(0);
    // About a second plus one step (a step of this tiny GAN takes a few milliseconds).
    expect(seconds).toBeLessThan(2);
    disposeGan(gan);
  });

  it('stops on a non-finite loss, naming the step and the last good checkpoint', async () => {
    const gan = tinyGan('dcgan');
    const poisoned = { discriminator: { learningRate: 1e30, beta1: 0.5, beta2: 0.999 }, generator: { learningRate: 2e-4, beta1: 0.5, beta2: 0.999 } };
    // D first updates at step 3 (with the poisoned rate), after two good checkpoints.
    const phases = [{ side: 'discriminator', every: 3 }, { side: 'generator' }] as const;
    const error = await trainGan({ gan, data, steps: 20, batchSize: 6, store: fileSystemStore({ runDir }), optimizers: poisoned, phases, callbacks: [checkpoints({ every: 1 })] }).catch((e: unknown) => e);
    expect(TrainingError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/non-finite loss at step 3: gLoss is (NaN|-?Infinity); last good checkpoint: .*step-0000002$/);
    disposeGan(gan);
  });

  it('rolls back to the last checkpoint and lowers the learning rates when asked', async () => {
    const gan = tinyGan('dcgan');
    const poisoned = { discriminator: { learningRate: 1e30, beta1: 0.5, beta2: 0.999 } } as never;
    const logs: StepLogs[] = [];
    const result = await trainGan({
      gan,
      data,
      steps: 6,
      batchSize: 6,
      store: fileSystemStore({ runDir }),
      optimizers: poisoned,
      onNonFinite: { rollback: { learningRateFactor: 1e-33, maxRollbacks: 2 } },
      callbacks: [collect(logs)],
    });
    expect(result.step).toBe(6);
    expect(logs.every((l) => Number.isFinite(l['dLoss']))).toBe(true);
    const state = JSON.parse(await readFile(join(runDir, 'checkpoints', 'step-0000006', 'state.json'), 'utf8'));
    expect(state.state.step.learningRates.discriminator).toBeCloseTo(1e-3, 9);
    result.ema?.dispose();
    disposeGan(gan);
  });

  it('keeps the number of tensors flat over 200 steps', async () => {
    const gan = tinyGan('wgan-gp');
    const before = tf.memory().numTensors;
    const result = await trainGan({ gan, data, steps: 200, batchSize: 6, debug: true, phases: [{ side: 'discriminator' }, { side: 'generator' }] });
    result.ema?.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeGan(gan);
  }, 120_000);
});
