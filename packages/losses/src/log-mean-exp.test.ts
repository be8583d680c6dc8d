import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { createRandom, InvalidArgumentError } from '@dgm/core';
import { describeWithBackends, expectFailureWithoutLeaks, expectNoLeakedTensors, expectTensorsClose } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import { logMeanExp } from './index.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };

/** log((1/k) Σ exp v) in float64 by the definition; `shift` (exact identity) keeps exp in float64's range at ±1e4. */
function reference(values: readonly number[], shift = 0): number {
  return shift + Math.log(values.reduce((sum, v) => sum + Math.exp(v - shift), 0) / values.length);
}

/** The slices along `axis` of a row-major array of `shape`, in the row-major order of the other axes. */
function slices(values: ArrayLike<number>, shape: readonly number[], axis: number): number[][] {
  const n = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const outer = values.length / (n * inner);
  return Array.from({ length: outer * inner }, (_, o) => {
    const [a, c] = [Math.floor(o / inner), o % inner];
    return Array.from({ length: n }, (_, i) => values[(a * n + i) * inner + c]!);
  });
}

/** logMeanExp's shape and values, checking that it leaves no tensor behind. */
async function run(values: Float32Array, shape: number[], axis: number): Promise<{ shape: number[]; values: number[] }> {
  return expectNoLeakedTensors(() =>
    tf.tidy(() => {
      const out = logMeanExp(tf.tensor(values, shape), axis);
      return { shape: out.shape, values: Array.from(out.dataSync()) };
    }),
  );
}

/** ±1e4 + N(0, 3) entries; the first column all +1e4, the second all −1e4, the rest mixed at random. */
function hugeColumns(rows: number, cols: number, seed: number): Float32Array {
  const random = createRandom({ seed });
  return Float32Array.from({ length: rows * cols }, (_, n) => {
    const col = n % cols;
    const sign = col === 0 ? 1 : col === 1 ? -1 : random.float() < 0.5 ? 1 : -1;
    return sign * 1e4 + random.normal(0, 3);
  });
}

describeWithBackends(
  'logMeanExp',
  () => {
    it('matches a float64 reference along every axis, also beyond the range of float32 exp (|x| > 88)', async () => {
      const random = createRandom({ seed: 11 });
      for (const shape of [[6, 5], [3, 4, 5]]) {
        const values = Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => random.float() * 300 - 150);
        expect(values.some((v) => v > 89), 'some exp(x) overflow float32').toBe(true);
        for (let axis = -shape.length; axis < shape.length; axis++) {
          const a = axis < 0 ? axis + shape.length : axis;
          const out = await run(values, shape, axis);
          expect(out.shape, `axis ${axis}`).toEqual(shape.filter((_, i) => i !== a));
          expectTensorsClose(out.values, slices(values, shape, a).map((s) => reference(s)), { rtol: 1e-5, atol: 1e-4 });
        }
      }
    });

    it('stays finite and accurate at ±1e4, where a naive log(mean(exp(x))) overflows or underflows', async () => {
      const shape = [8, 6];
      const values = hugeColumns(shape[0]!, shape[1]!, 5);
      const naive = tf.tidy(() => Array.from(tf.log(tf.mean(tf.exp(tf.tensor(values, shape)), 0)).dataSync()));
      expect(naive.every((v) => !Number.isFinite(v)), `naive: ${naive}`).toBe(true);
      const expected = slices(values, shape, 0).map((s) => reference(s, s.some((v) => v > 0) ? 1e4 : -1e4));
      const out = await run(values, shape, 0);
      expect(out.values.every(Number.isFinite)).toBe(true);
      // float32 spacing at 1e4 is ~1e-3
      expectTensorsClose(out.values, expected, { rtol: 0, atol: 2e-3 });
    });

    it('treats −∞ entries as zero weights and gives −∞ (not NaN) for an all −∞ slice', async () => {
      const random = createRandom({ seed: 3 });
      const [a, b, c] = [random.normal(0, 2), random.normal(0, 2), random.normal(0, 2)];
      // columns: all −∞; one −∞; two −∞; +∞ among finite and −∞ entries; all finite
      const rows = [
        [-Infinity, -Infinity, a, Infinity, a],
        [-Infinity, b, -Infinity, b, b],
        [-Infinity, c, -Infinity, -Infinity, c],
      ];
      const values = Float32Array.from(rows.flat());
      const out = await run(values, [3, 5], 0);
      expect(out.values.some(Number.isNaN)).toBe(false);
      expect(out.values[0]).toBe(-Infinity);
      expectTensorsClose(out.values, slices(values, [3, 5], 0).map((s) => reference(s)), { rtol: 1e-5, atol: 1e-5 });
    });

    it('has the softmax along the axis as its gradient, finite at ±1e4 and at −∞ entries', async () => {
      const shape = [5, 4];
      const values = hugeColumns(shape[0]!, shape[1]!, 9);
      values[2 * shape[1]! + 3] = -Infinity; // one −∞ in a column with finite entries
      const gradient = await expectNoLeakedTensors(() =>
        tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => tf.sum(logMeanExp(x, 0)))(tf.tensor(values, shape)).dataSync())),
      );
      expect(gradient.every(Number.isFinite), `gradient: ${gradient}`).toBe(true);
      // ∂/∂x_i log((1/k) Σ_j exp x_j) = exp(x_i − L)/k with L the log-mean-exp of x's column.
      const columns = slices(values, shape, 0).map((s) => reference(s, Math.max(...s)));
      const expected = Array.from(values, (v, n) => Math.exp(v - columns[n % shape[1]!]!) / shape[0]!);
      expectTensorsClose(gradient, expected, { rtol: 1e-4, atol: 1e-6 });
    });

    it('rejects bad input with typed errors before running any kernel', async () => {
      const [ints, empty, disposed, x] = [tf.tensor1d([1, 2], 'int32'), tf.tensor1d([]), tf.scalar(1), tf.ones([2, 3])];
      disposed.dispose();
      const cases: [() => unknown, RegExp][] = [
        [() => logMeanExp([1, 2] as unknown as tf.Tensor), /x must be a tensor/],
        [() => logMeanExp(ints), /x must be float32, got int32/],
        [() => logMeanExp(empty), /x is empty/],
        [() => logMeanExp(disposed), /x has been disposed/],
        [() => logMeanExp(x, 2), /axis must be an integer in \[-2, 2\) for x of shape \[2,3\], got 2/],
        [() => logMeanExp(x, -3), /axis must be an integer in \[-2, 2\)/],
        [() => logMeanExp(x, 0.5), /axis must be an integer/],
      ];
      for (const [fn, message] of cases) {
        const profile = await tf.profile(async () => {
          await expectFailureWithoutLeaks(fn, { error: InvalidArgumentError, message });
        });
        expect(profile.kernels.map((k) => k.name), String(message)).toEqual([]);
      }
      tf.dispose([ints, empty, x]);
    });
  },
  { init },
);
