import * as tf from '@tensorflow/tfjs-core';

/**
 * Window b of the batch padded by `padding` = [py, px] pixels of `fill` on every side, at
 * offset `offsets[b]` = [dy, dx] (0 … 2·py, 0 … 2·px): one gather of exact pixels,
 * differentiable, and the same on every backend (the wasm backend's CropAndResize misplaces
 * boxes along x).
 */
export function cropPadded(x: tf.Tensor4D, offsets: readonly (readonly [number, number])[], [py, px]: readonly [number, number], fill = 0): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [hp, wp] = [h + 2 * py, w + 2 * px];
  const index = new Int32Array(n * h * w);
  offsets.forEach(([dy, dx], b) => {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) index[(b * h + i) * w + j] = (b * hp + i + dy) * wp + j + dx;
    }
  });
  return tf.tidy(() => {
    const padded = tf.reshape(tf.pad(x, [[0, 0], [py, py], [px, px], [0, 0]], fill), [n * hp * wp, c]);
    return tf.reshape(tf.gather(padded, tf.tensor1d(index, 'int32')), [n, h, w, c]);
  });
}
