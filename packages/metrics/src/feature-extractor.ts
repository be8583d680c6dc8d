import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@dgm/core';

/**
 * Maps images (NHWC in [−1, 1]) to features, and optionally to class probabilities. Its `id`
 * names the metrics measured with it (`fid10k-mnist-cnn`): numbers are comparable only
 * between equal ids.
 */
export interface FeatureExtractor {
  readonly id: string;
  /** [n, d] float32 features of a batch. */
  features(images: tf.Tensor4D): tf.Tensor2D;
  /** [n, classes] probabilities of a batch (Inception Score, accuracy, GAN-test), when the extractor has a classifier head. */
  probabilities?(images: tf.Tensor4D): tf.Tensor2D;
}

/**
 * An extractor reading a layer of a tfjs-layers model (e.g. a classifier's penultimate layer)
 * and, if named, another layer (or 'output') as class probabilities.
 */
export function layerExtractor({ model, layer, probabilities, id }: { model: tfl.LayersModel; layer: string; probabilities?: string; id: string }): FeatureExtractor {
  if (!(model instanceof tfl.LayersModel)) throw new InvalidArgumentError('layerExtractor: model must be a tf.LayersModel');
  checkId(id, 'layerExtractor');
  const view = (name: string) => {
    if (name === 'output') return model;
    const names = model.layers.map((l) => l.name);
    if (!names.includes(name)) throw new InvalidArgumentError(`layerExtractor: the model has no layer ${JSON.stringify(name)}; its layers: ${names.join(', ')}`);
    return tfl.model({ inputs: model.inputs, outputs: model.getLayer(name).output as tfl.SymbolicTensor });
  };
  const features = view(layer);
  const classes = probabilities === undefined ? undefined : view(probabilities);
  const run = (m: tfl.LayersModel, images: tf.Tensor4D) => tf.tidy(() => tf.reshape(m.predict(images) as tf.Tensor, [images.shape[0], -1]) as tf.Tensor2D);
  return { id, features: (images) => run(features, images), ...(classes === undefined ? {} : { probabilities: (images: tf.Tensor4D) => run(classes, images) }) };
}

/** The part of a tfjs-converter GraphModel an extractor needs (typed here so that this package does not depend on it). */
export interface ExecutableGraph {
  execute(inputs: tf.Tensor, outputs: string | string[]): tf.Tensor | tf.Tensor[];
}

/**
 * An extractor reading named nodes of a GraphModel (tfjs-converter), e.g. a converted
 * InceptionV3's pool node for comparable Inception features.
 */
export function graphModelExtractor({ model, output, probabilities, id }: { model: ExecutableGraph; output: string; probabilities?: string; id: string }): FeatureExtractor {
  if (typeof model?.execute !== 'function') throw new InvalidArgumentError('graphModelExtractor: model must be a GraphModel (with execute)');
  checkId(id, 'graphModelExtractor');
  const run = (node: string, images: tf.Tensor4D) => tf.tidy(() => tf.reshape(model.execute(images, node) as tf.Tensor, [images.shape[0], -1]) as tf.Tensor2D);
  return { id, features: (images) => run(output, images), ...(probabilities === undefined ? {} : { probabilities: (images: tf.Tensor4D) => run(probabilities, images) }) };
}

/** An extractor from functions of an image batch (each returns a new [n, d] tensor). */
export function functionExtractor({
  id,
  features,
  probabilities,
}: {
  id: string;
  features: (images: tf.Tensor4D) => tf.Tensor2D;
  probabilities?: (images: tf.Tensor4D) => tf.Tensor2D;
}): FeatureExtractor {
  checkId(id, 'functionExtractor');
  if (typeof features !== 'function') throw new InvalidArgumentError('functionExtractor: features must be a function from images [n, h, w, c] to [n, d]');
  return { id, features, ...(probabilities === undefined ? {} : { probabilities }) };
}

function checkId(id: unknown, caller: string): void {
  if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/i.test(id)) {
    throw new InvalidArgumentError(`${caller}: id must name the extractor in metric names (letters, digits, '.', '-'), got ${JSON.stringify(id)}`);
  }
}
