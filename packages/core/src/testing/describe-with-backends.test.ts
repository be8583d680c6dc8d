import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeWithBackends } from './describe-with-backends.js';
import { expectNoLeakedTensors } from './expect-no-leaked-tensors.js';
import { expectTensorsClose } from './expect-tensors-close.js';

const ran: string[] = [];

describeWithBackends(
  'a suite',
  ({ backend }) => {
    it('runs on its backend', async () => {
      expect(tf.getBackend()).toBe(backend);
      await expectNoLeakedTensors(() =>
        tf.tidy(() => expectTensorsClose(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])), tf.tensor2d([[11]]))),
      );
      ran.push(backend);
    });
  },
  { backends: ['cpu', 'wasm'] },
);

describe('describeWithBackends', () => {
  it('ran the suite once on cpu and once on wasm, in order', () => {
    expect(ran).toEqual(['cpu', 'wasm']);
  });
});
