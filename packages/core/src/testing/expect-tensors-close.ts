import * as tf from '@tensorflow/tfjs-core';

type Values = tf.Tensor | ArrayLike<number> | number;

export interface Tolerance {
  /** Relative tolerance. Default 1e-5. */
  readonly rtol?: number;
  /** Absolute tolerance. Default 1e-6. */
  readonly atol?: number;
}

/**
 * Asserts `|actual - expected| <= atol + rtol * |expected|` elementwise, and equal
 * shapes when both are tensors. Reads values synchronously; disposes nothing.
 */
export function expectTensorsClose(actual: Values, expected: Values, { rtol = 1e-5, atol = 1e-6 }: Tolerance = {}): void {
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor && !tf.util.arraysEqual(actual.shape, expected.shape)) {
    throw new Error(`expectTensorsClose: shape [${actual.shape}] differs from expected [${expected.shape}]`);
  }
  const a = toArray(actual);
  const e = toArray(expected);
  if (a.length !== e.length) {
    throw new Error(`expectTensorsClose: ${a.length} values differ in count from the ${e.length} expected`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, e[i]!];
    // Non-finite values (NaN, ±Infinity) must match exactly.
    const excess =
      Number.isFinite(x) && Number.isFinite(y)
        ? Math.abs(x - y) - (atol + rtol * Math.abs(y))
        : x === y || (Number.isNaN(x) && Number.isNaN(y)) ? 0 : Infinity;
    if (excess > worstExcess) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    throw new Error(
      `expectTensorsClose: value ${worst} is ${a[worst]}, expected ${e[worst]} (rtol ${rtol}, atol ${atol}; ` +
        `largest violation of ${a.length} values)`,
    );
  }
}

function toArray(values: Values): ArrayLike<number> {
  if (values instanceof tf.Tensor) return values.dataSync() as ArrayLike<number>;
  return typeof values === 'number' ? [values] : values;
}
