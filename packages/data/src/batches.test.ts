import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InvalidArgumentError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { batches, type BatchesOptions } from './batches.js';
import { fromArrays } from './from-arrays.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// 10 images of 1×1×1 whose pixel value is their index ×10, labels: 7 of class 0, 3 of class 1.
const dataset = fromArrays({
  images: Uint8Array.from({ length: 10 }, (_, i) => i * 10),
  shape: [1, 1, 1],
  labels: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
});

/** Every batch's image indices (recovered from the pixels) and labels, disposing the tensors. */
async function collect(options: Partial<BatchesOptions>, limit = Infinity): Promise<{ indices: number[][]; labels: number[][] }> {
  const out = { indices: [] as number[][], labels: [] as number[][] };
  for await (const batch of batches({ dataset, batchSize: 4, range: '[0,1]', ...options })) {
    out.indices.push(Array.from(batch.images.dataSync(), (v) => Math.round(v * 25.5)));
    if (batch.labels !== undefined) out.labels.push(Array.from(batch.labels.dataSync()));
    tf.dispose([batch.images, batch.labels!].filter(Boolean));
    if (out.indices.length >= limit) break;
  }
  return out;
}

describe('batches', () => {
  it('covers the epoch exactly once, with the last batch smaller unless dropped', async () => {
    const { indices, labels } = await collect({ seed: 1 });
    expect(indices.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(indices.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(labels.flat()).toEqual(indices.flat().map((i) => (i >= 7 ? 1 : 0)));
    expect((await collect({ seed: 1, dropRemainder: true })).indices.map((b) => b.length)).toEqual([4, 4]);
    expect((await collect({ order: 'sequential' })).indices).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('is deterministic per seed and differs between seeds and epochs', async () => {
    const a = await collect({ seed: 5, epochs: 2 });
    expect(await collect({ seed: 5, epochs: 2 })).toEqual(a);
    expect((await collect({ seed: 6 })).indices).not.toEqual(a.indices.slice(0, 3));
    expect(a.indices.slice(3).flat()).not.toEqual(a.indices.slice(0, 3).flat());
  });

  for (const order of ['shuffle', 'class-balanced'] as const) {
    it(`resumes exactly from a saved state (${order})`, async () => {
      const whole = await collect({ seed: 9, epochs: 3, order });
      for (const cut of [1, 3, 4, 7]) {
        const stream = batches({ dataset, batchSize: 4, range: '[0,1]', seed: 9, epochs: 3, order });
        let taken = 0;
        for await (const batch of stream) {
          tf.dispose([batch.images, batch.labels!]);
          if (++taken === cut) break;
        }
        const state = JSON.parse(JSON.stringify(stream.getState()));
        const rest = await collect({ state, epochs: 3, order });
        expect([...whole.indices.slice(0, cut), ...rest.indices], `cut after ${cut}`).toEqual(whole.indices);
      }
    });
  }

  it('class-balanced draws classes about equally however unbalanced the data', async () => {
    const { labels } = await collect({ seed: 2, order: 'class-balanced', epochs: 100 });
    const ones = labels.flat().filter((l) => l === 1).length / labels.flat().length;
    expect(ones).toBeGreaterThan(0.42);
    expect(ones).toBeLessThan(0.58);
  });

  it('normalizes to [-1, 1] by default and yields int32 labels, without leaking tensors', async () => {
    await expectNoLeakedTensors(async () => {
      for await (const batch of batches({ dataset, batchSize: 10, order: 'sequential' })) {
        expect(batch.images.shape).toEqual([10, 1, 1, 1]);
        expect(batch.images.dtype).toBe('float32');
        const values = Array.from(batch.images.dataSync());
        expect(values[0]).toBeCloseTo(-1, 6);
        expect(values[9]).toBeCloseTo((90 / 255) * 2 - 1, 6);
        expect(batch.labels!.dtype).toBe('int32');
        tf.dispose([batch.images, batch.labels!]);
      }
    });
  });

  it('rejects bad options with InvalidArgumentError', () => {
    const unlabeled = fromArrays({ images: new Uint8Array(4), shape: [1, 1, 1] });
    const cases: [Partial<BatchesOptions>, RegExp][] = [
      [{ batchSize: 0 }, /batches: batchSize: expected ≥ 1, got number 0/],
      [{ batchSize: '8' as never }, /batchSize: expected a finite number, got string "8"/],
      [{ batchSize: 2.5 }, /batchSize: expected an integer, got number 2.5/],
      [{ order: 'random' as never }, /order: expected one of "shuffle", "sequential", "class-balanced", got string "random"/],
      [{ range: '0-255' as never }, /range: expected one of "\[-1,1\]", "\[0,1\]", got string "0-255"/],
      [{ epochs: 0 }, /epochs: expected ≥ 1, got number 0/],
      [{ epochs: 1.5 }, /epochs: expected/],
      [{ seed: -1 }, /seed: expected ≥ 0, got number -1/],
      [{ dataset: { count: 3 } as never }, /dataset: expected a Dataset \(from a loader or fromArrays\), got an object with keys count/],
      [{ batchsize: 4 } as never, /unknown option "batchsize"/],
      [{ dataset: unlabeled, labels: true }, /labels needs a labeled dataset/],
      [{ dataset: unlabeled, order: 'class-balanced' }, /'class-balanced' needs a labeled dataset/],
      [{ batchSize: 11, dropRemainder: true }, /10 images make no batch of 11/],
    ];
    for (const [options, message] of cases) {
      let error: unknown;
      try {
        batches({ dataset, batchSize: 4, ...options });
      } catch (e) {
        error = e;
      }
      expect(InvalidArgumentError.isInstance(error), String(options)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});
