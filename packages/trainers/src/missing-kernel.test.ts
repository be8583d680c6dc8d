import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { BackendError, initBackend, TrainingError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { describe, expect, it } from 'vitest';
import { missingKernelError } from './missing-kernel.js';

describe('missingKernelError', () => {
  it("turns tfjs's missing-kernel error into a BackendError that says what is missing and what to do", () => {
    const raw = new Error("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'");
    const error = missingKernelError(raw, 'trainGan');
    expect(BackendError.isInstance(error)).toBe(true);
    expect(error!.message).toMatch(/^trainGan: the wasm backend has no Conv2DBackpropFilter kernel, which training needs; enable @dgm\/kernels/);
    expect(error!.message).toContain('initBackend({ fastKernels: true })');
    expect(error!.message).toContain("or use another backend: initBackend({ backend: 'cpu' })");
    expect(error!.cause).toBe(raw);
  });

  it('finds the message in a cause, and tailors the advice to the backend', () => {
    const wrapped = new TrainingError('step 3 failed', { cause: new Error("Kernel 'Foo' not registered for backend 'webgl'") });
    const error = missingKernelError(wrapped, 'trainClassifier');
    expect(error!.message).toBe("trainClassifier: the webgl backend has no Foo kernel, which training needs; use another backend: initBackend({ backend: 'cpu' })");
    expect(error!.cause).toBe(wrapped);
    expect(missingKernelError(new Error("Kernel 'Foo' not registered for backend 'cpu'"), 'x')!.message).toMatch(/@dgm\/kernels.*backend: 'tensorflow'/);
  });

  it('leaves every other error alone', () => {
    expect(missingKernelError(new Error('out of memory'), 'trainGan')).toBeUndefined();
    expect(missingKernelError(new BackendError("Kernel 'Foo' not registered for backend 'wasm'"), 'trainGan')).toBeUndefined();
    expect(missingKernelError(undefined, 'trainGan')).toBeUndefined();
    expect(missingKernelError(42, 'trainGan')).toBeUndefined();
  });

  it('recognizes the real error: a conv gradient on the wasm backend without @dgm/kernels', async () => {
    await initBackend({ backend: 'wasm', fastKernels: false });
    // Should the fast kernels be on all the same, take theirs away for the test.
    const registered = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    if (registered !== undefined) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
    try {
      const x = tf.ones([1, 4, 4, 1]);
      const filter = tf.ones([3, 3, 1, 2]);
      let raw: unknown;
      await expectNoLeakedTensors(() => {
        try {
          tf.tidy(() => tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same')))(filter));
        } catch (error) {
          raw = error;
        }
        // When the backward pass throws, tfjs's engine keeps its tape and the tensors the
        // forward pass saved for it (kept, so no tidy frees them): 3 here.
        const saved = tf.engine().state.activeTape.flatMap((node) => node.saved ?? []);
        expect(saved).toHaveLength(3);
        tf.dispose(saved);
      });
      tf.dispose([x, filter]);
      expect((raw as Error).message).toBe("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'");
      const error = missingKernelError(raw, 'trainGan');
      expect(BackendError.isInstance(error)).toBe(true);
      expect(error!.message).toMatch(/the wasm backend has no Conv2DBackpropFilter kernel/);
      expect(error!.cause).toBe(raw);
    } finally {
      if (registered !== undefined) tf.registerKernel(registered);
    }
  });
});
