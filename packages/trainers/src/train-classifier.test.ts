import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, InvalidArgumentError, ShapeMismatchError, type Random } from '@dgm/core';
import { fromArrays, randomTranslate } from '@dgm/data';
import { createClassifier } from '@dgm/models';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StepLogs, TrainCallback } from './callbacks.js';
import { evaluateClassifier } from './evaluate-classifier.js';
import { fileSystemStore } from './node/file-system-store.js';
import { toyShapes } from './toy.test-helper.js';
import { trainClassifier } from './train-classifier.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

const data = toyShapes(48, 1);
const validation = toyShapes(30, 2);
const tiny = (seed = 0) => createClassifier({ imageShape: [28, 28, 1], numClasses: 3, filters: 4, batchNormMomentum: 0.8, seed });
const augment = ({ images, random }: { images: tf.Tensor4D; random: Random }) => randomTranslate({ images, random, max: 2 });

let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'dgm-classifier-'));
});
afterEach(() => rm(runDir, { recursive: true, force: true }));

describe('trainClassifier', () => {
  it('learns the toy classes: the loss goes down and held-out accuracy goes from chance to 1, leaking nothing', async () => {
    const model = tiny();
    const before = await evaluateClassifier({ model, data: validation });
    const logs: StepLogs[] = [];
    const epochs: StepLogs[] = [];
    const collect: TrainCallback<never> = { onBatchEnd: (_s, l) => void logs.push(l), onEpochEnd: (_e, l) => void epochs.push(l) };
    const tensors = tf.memory().numTensors;
    const result = await trainClassifier({ model, data, validation, epochs: 8, batchSize: 12, optimizer: { learningRate: 3e-3 }, augment, callbacks: [collect], debug: true });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(result.step).toBe(32);
    expect(before.accuracy).toBeLessThan(0.6);
    expect(result.validation!.accuracy).toBe(1);
    const mean = (xs: StepLogs[]) => xs.reduce((a, l) => a + l['loss']!, 0) / xs.length;
    expect(mean(logs.slice(-4))).toBeLessThan(mean(logs.slice(0, 4)) * 0.7);
    expect(epochs).toHaveLength(8);
    expect(epochs.at(-1)!['valAccuracy']).toBe(1);
    expect(Object.keys(logs[0]!)).toEqual(['step', 'epoch', 'loss', 'accuracy', 'learningRate', 'ms', 'imagesPerSecond']);
    model.dispose();
  });

  it('resumes exactly: 6 steps + 6 from the checkpoint give the weights of 12 straight, augmentation and cosine schedule included', async () => {
    const options = { data, batchSize: 12, steps: 12, seed: 3, augment, schedule: 'cosine' as const };
    const straight = tiny();
    await trainClassifier({ ...options, model: straight });
    const resumed = tiny();
    const controller = new AbortController();
    const stopAt6: TrainCallback<never> = { onBatchEnd: (step) => void (step === 6 && controller.abort()) };
    const first = await trainClassifier({ ...options, model: resumed, store: fileSystemStore({ runDir }), signal: controller.signal, callbacks: [stopAt6] });
    expect([first.step, first.aborted]).toEqual([6, true]);
    const fresh = tiny(9); // other initial weights: all come from the checkpoint
    const second = await trainClassifier({ ...options, model: fresh, store: fileSystemStore({ runDir }), resume: true });
    expect(second.step).toBe(12);
    const weights = (m: tfl.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(fresh)).toEqual(weights(straight));
    await expect(trainClassifier({ ...options, seed: 4, model: fresh, store: fileSystemStore({ runDir }), resume: true })).rejects.toThrow(/trained with seed 3/);
    for (const m of [straight, resumed, fresh]) m.dispose();
  });

  it('stops at an AbortSignal.timeout with no callbacks', async () => {
    const model = tiny();
    const started = performance.now();
    const result = await trainClassifier({ model, data, steps: 1_000_000, batchSize: 12, signal: AbortSignal.timeout(1000) });
    expect(result.aborted).toBe(true);
    expect((performance.now() - started) / 1000).toBeLessThan(2);
    model.dispose();
  });

  it('trains a model whose output is a dense softmax layer (probabilities, no separate logits)', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [28, 28, 1] }), tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })] });
    const before = await evaluateClassifier({ model, data });
    const result = await trainClassifier({ model, data, validation: data, epochs: 10, batchSize: 12, optimizer: { learningRate: 1e-2 } });
    expect(result.validation!.loss).toBeLessThan(before.loss / 2);
    expect(result.validation!.accuracy).toBeGreaterThan(before.accuracy + 0.3);
    model.dispose();
  });

  it('rejects bad inputs with typed errors', async () => {
    const model = tiny();
    const unlabeled = fromArrays({ images: new Uint8Array(784 * 2), shape: [28, 28, 1] });
    const wrongShape = fromArrays({ images: new Uint8Array(32 * 32 * 3 * 2), shape: [32, 32, 3], labels: [0, 1] });
    const cases: [object, (e: unknown) => boolean, RegExp][] = [
      [{ model, data: unlabeled }, (e) => InvalidArgumentError.isInstance(e), /labeled Dataset/],
      [{ model, data: wrongShape }, (e) => ShapeMismatchError.isInstance(e), /32×32×3, the model takes 28×28×1/],
      [{ model, data, schedule: 'linear' }, (e) => InvalidArgumentError.isInstance(e), /schedule: expected one of "constant", "cosine", got string "linear"/],
      [{ model, data, optimizer: { learningRate: -1 } }, (e) => InvalidArgumentError.isInstance(e), /optimizer.learningRate: expected > 0, got number -1/],
      [{ model: {}, data }, (e) => InvalidArgumentError.isInstance(e), /model: expected a tf.LayersModel/],
    ];
    for (const [options, isType, message] of cases) {
      const error = await trainClassifier(options as never).catch((e: unknown) => e);
      expect(isType(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    model.dispose();
  });
});
