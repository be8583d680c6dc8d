import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@dgm/core';

/**
 * A function from images to class logits for a model whose output is class probabilities.
 * When the output layer is a softmax activation, its input (the logits) is read directly,
 * which keeps the cross-entropy exact; otherwise log(max(p, 1e-7)) serves as logits
 * (softmax of log p is p), as Keras does for probabilities.
 */
export function classLogits(model: tfl.LayersModel, caller: string): (images: tf.Tensor4D, training: boolean) => tf.Tensor2D {
  if (model?.outputs?.length !== 1 || model.outputs[0]!.shape.length !== 2) {
    throw new InvalidArgumentError(`${caller}: model must be a tf.LayersModel with one output of class probabilities [n, classes]`);
  }
  const last = model.layers[model.layers.length - 1]!;
  const softmaxLayer = last.getClassName() === 'Activation' && (last.getConfig() as { activation?: string }).activation === 'softmax';
  const view = softmaxLayer ? tfl.model({ inputs: model.inputs, outputs: last.input as tfl.SymbolicTensor }) : model;
  return (images, training) =>
    tf.tidy(() => {
      const out = view.apply(images, { training }) as tf.Tensor2D;
      return softmaxLayer ? out : (tf.log(tf.maximum(out, 1e-7)) as tf.Tensor2D);
    });
}
