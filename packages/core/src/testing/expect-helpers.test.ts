import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, InvalidArgumentError } from '../errors.js';
import { expectFailureWithoutLeaks } from './expect-failure-without-leaks.js';
import { expectNoLeakedTensors } from './expect-no-leaked-tensors.js';
import { expectTensorsClose } from './expect-tensors-close.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('expectTensorsClose', () => {
  it('accepts values within atol + rtol·|expected|', () => {
    tf.tidy(() => {
      expectTensorsClose(tf.tensor([1, 2, 1000]), tf.tensor([1 + 5e-7, 2, 1000.009]));
      expectTensorsClose([1, 2], [1.05, 2.1], { rtol: 0.05 });
      expectTensorsClose(3, 3.05, { atol: 0.1 });
      expectTensorsClose([Number.NaN, Infinity], [Number.NaN, Infinity]);
    });
  });

  it('rejects the largest violation, a count mismatch and a shape mismatch', () => {
    tf.tidy(() => {
      expect(() => expectTensorsClose([1, 2, 3], [1, 2.1, 3.5])).toThrow(/value 2 is 3, expected 3.5/);
      expect(() => expectTensorsClose([1, 2], [1, 2, 3])).toThrow(/differ in count/);
      expect(() => expectTensorsClose(tf.zeros([2, 3]), tf.zeros([3, 2]))).toThrow(/shape \[2,3\] differs from expected \[3,2\]/);
      expect(() => expectTensorsClose([Number.NaN], [0])).toThrow(/value 0 is NaN/);
      expect(() => expectTensorsClose([Infinity], [-Infinity])).toThrow(/value 0 is Infinity/);
    });
  });
});

describe('expectNoLeakedTensors', () => {
  it('passes for tidy code and returns its result', async () => {
    const value = await expectNoLeakedTensors(async () => tf.tidy(() => tf.add(1, 2).dataSync()[0]));
    expect(value).toBe(3);
  });

  it('fails when a tensor is left behind', async () => {
    let kept: tf.Tensor | undefined;
    await expect(expectNoLeakedTensors(() => void (kept = tf.ones([2])))).rejects.toThrow(/1 tensor\(s\) leaked/);
    kept?.dispose();
  });
});

describe('expectFailureWithoutLeaks', () => {
  const kept: tf.Tensor[] = [];
  const fail = (keep: boolean) => async () => {
    const t = tf.ones([2]);
    if (keep) kept.push(t);
    else t.dispose();
    throw new InvalidArgumentError('train: steps: expected ≥ 0, got number -1');
  };

  it('passes for a typed failure that leaves nothing behind, and resolves to the error', async () => {
    const error = await expectFailureWithoutLeaks(fail(false), { error: InvalidArgumentError, message: 'expected ≥ 0' });
    expect(error.message).toMatch(/got number -1/);
    await expectFailureWithoutLeaks(() => {
      throw new InvalidArgumentError('sync');
    }, { error: InvalidArgumentError, message: /^sync$/ });
  });

  it('fails on a leak, another class, another message or a success', async () => {
    await expect(expectFailureWithoutLeaks(fail(true), { error: InvalidArgumentError, message: 'expected' })).rejects.toThrow(/left 1 tensor\(s\) behind/);
    tf.dispose(kept);
    await expect(expectFailureWithoutLeaks(fail(false), { error: CheckpointError, message: 'expected' })).rejects.toThrow(/expected a CheckpointError, got InvalidArgumentError/);
    await expect(expectFailureWithoutLeaks(fail(false), { error: InvalidArgumentError, message: 'nope' })).rejects.toThrow(/does not hold nope/);
    await expect(expectFailureWithoutLeaks(() => 1, { error: InvalidArgumentError, message: '' })).rejects.toThrow(/the call succeeded/);
  });
});
