import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { WeightNormDense } from './weight-norm-dense.js';

/**
 * The data-dependent initialization of weight normalization (Salimans & Kingma 2016, as the
 * semi-supervised GAN's authors do for their D): each WeightNormDense layer of `model`, in
 * order, gets the scale and bias that give its pre-activations mean 0 and variance 1 on
 * `images` (run in inference mode, so noise layers are off), after the layers before it have
 * been initialized. Returns how many layers it initialized.
 */
export function initializeWeightNorm(options: { model: tfl.LayersModel; images: tf.Tensor }): number {
  const { model, images } = options ?? {};
  if (!(model instanceof tfl.LayersModel)) throw new InvalidArgumentError('initializeWeightNorm: model must be a tf.LayersModel');
  if (!(images instanceof tf.Tensor) || images.isDisposed) throw new InvalidArgumentError('initializeWeightNorm: images must be a live tensor');
  const expected = model.inputs[0]!.shape.slice(1);
  if (images.rank !== expected.length + 1 || images.shape.slice(1).some((d, i) => d !== expected[i])) {
    throw new ShapeMismatchError(`initializeWeightNorm: images are [${images.shape.join(', ')}], the model takes [n, ${expected.join(', ')}]`);
  }
  const layers = model.layers.filter((l): l is WeightNormDense => l instanceof WeightNormDense);
  for (const layer of layers) {
    // A view of the model up to the layer's input; it shares the layers (not disposed: that would dispose them).
    const upTo = tfl.model({ inputs: model.inputs, outputs: layer.input as tfl.SymbolicTensor });
    tf.tidy(() => {
      const x = upTo.predict(images) as tf.Tensor;
      layer.initializeFrom(tf.reshape(x, [x.shape[0]!, -1]) as tf.Tensor2D);
    });
  }
  return layers.length;
}
