import 'fake-indexeddb/auto';
import type * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, InvalidArgumentError, initBackend } from '@dgm/core';
import { openDB } from 'idb';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointFromBytes, checkpointToBytes } from './checkpoint-bytes.js';
import { memoryStore } from './checkpoint-store.js';
import { indexedDbStore } from './indexed-db-store.js';
import { loadGanRun } from './load-gan-run.js';
import { disposeGan, tinyGan, toyData } from './toy.test-helper.js';
import { trainGan, type TrainGanOptions } from './train-gan.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const data = toyData();
const options = (gan: ReturnType<typeof tinyGan>): TrainGanOptions => ({ gan, data, batchSize: 10, seed: 5, ema: { decay: 0.9 } });
const values = (model: { getWeights(): tf.Tensor[] }) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe('indexedDbStore', () => {
  it('a run stopped after 2 steps resumes from IndexedDB (a new store of the same name, as after a reload) to the 5 straight steps', async () => {
    const straight = tinyGan('cgan');
    (await trainGan({ ...options(straight), steps: 5 })).ema?.dispose();
    const interrupted = tinyGan('cgan');
    (await trainGan({ ...options(interrupted), steps: 2, store: indexedDbStore({ name: 'resume' }) })).ema?.dispose();
    const resumed = tinyGan('cgan', 99);
    const rest = await trainGan({ ...options(resumed), steps: 5, store: indexedDbStore({ name: 'resume' }), resume: true });
    expect(rest.checkpoint).toBe('indexeddb:dgm-run:resume/step-5');
    expect(values(resumed.generator)).toEqual(values(straight.generator));
    expect(values(rest.ema!)).toEqual(values((await loadGanRun({ store: indexedDbStore({ name: 'resume' }) })).ema!));
    for (const g of [straight, interrupted, resumed]) disposeGan(g);
    rest.ema?.dispose();
  });

  it('keeps the newest `keep` checkpoints and hands back the newest', async () => {
    const store = indexedDbStore({ name: 'keep', keep: 2 });
    for (const step of [3, 1, 7, 5]) await store.write({ step, format: 'test/1', models: {}, optimizers: {}, state: { step } });
    expect(await (await openDB('dgm-run:keep')).getAllKeys('checkpoints')).toEqual([5, 7]);
    expect((await store.latest())?.checkpoint.state).toEqual({ step: 7 });
    expect(await indexedDbStore({ name: 'empty' }).latest()).toBeUndefined();
  });

  it('clear() empties the store, as memoryStore\'s does', async () => {
    for (const store of [indexedDbStore({ name: 'clear' }), memoryStore()]) {
      await store.write({ step: 4, format: 'test/1', models: {}, optimizers: {}, state: { step: 4 } });
      expect((await store.latest())?.checkpoint.step).toBe(4);
      await store.clear!();
      expect(await store.latest()).toBeUndefined();
    }
  });

  it('refuses bad options, and says when there is no IndexedDB', async () => {
    expect(() => indexedDbStore({ name: '' })).toThrow(InvalidArgumentError);
    expect(() => indexedDbStore({ name: 'x', keep: 0 })).toThrow(InvalidArgumentError);
    const saved = globalThis.indexedDB;
    Reflect.deleteProperty(globalThis, 'indexedDB');
    try {
      await expect(indexedDbStore({ name: 'none' }).prepare!()).rejects.toThrow(CheckpointError);
      await expect(indexedDbStore({ name: 'none' }).latest()).rejects.toThrow(/no IndexedDB here/);
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});

describe('checkpointToBytes / checkpointFromBytes', () => {
  it('a GAN run saved to bytes and loaded back resumes exactly', async () => {
    const straight = tinyGan('acgan');
    (await trainGan({ ...options(straight), steps: 4 })).ema?.dispose();
    const first = memoryStore();
    const interrupted = tinyGan('acgan');
    (await trainGan({ ...options(interrupted), steps: 2, store: first })).ema?.dispose();
    const { checkpoint } = (await first.latest())!;
    const bytes = checkpointToBytes(checkpoint);
    expect(checkpointFromBytes(bytes)).toEqual(checkpoint);
    // Unaligned, inside a larger buffer, as a file read may hand them over.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const second = memoryStore();
    await second.write(checkpointFromBytes(shifted.subarray(3)));
    const resumed = tinyGan('acgan', 7);
    (await trainGan({ ...options(resumed), steps: 4, store: second, resume: true })).ema?.dispose();
    expect(values(resumed.discriminator)).toEqual(values(straight.discriminator));
    for (const g of [straight, interrupted, resumed]) disposeGan(g);
  });

  it('refuses other bytes with a CheckpointError saying why', () => {
    const bytes = checkpointToBytes({ step: 1, format: 'test/1', models: {}, optimizers: { g: { step: 1, firstMoments: [new Float32Array([1, 2])], secondMoments: [] } }, state: null });
    expect(() => checkpointFromBytes(new TextEncoder().encode('{"step": 1}'), 'run.ckpt')).toThrow(/run\.ckpt: not a dgm checkpoint file \(it does not start with DGMCKPT1\)/);
    expect(() => checkpointFromBytes(bytes.subarray(0, 20))).toThrow(/header of \d+ bytes is cut off/);
    expect(() => checkpointFromBytes(bytes.subarray(0, bytes.length - 8))).toThrow(/lies outside the file/);
  });
});
