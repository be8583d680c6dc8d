import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { InvalidArgumentError, ShapeMismatchError, parseOptions } from '@dgm/core';
import { checkedLater } from './options.js';

/**
 * Maps images (NHWC in [−1, 1]) to features, and optionally to class probabilities. Its `id`
 * names the metrics measured with it (`fid10k-mnist-cnn`): numbers are comparable only
 * between equal ids.
 */
export interface FeatureExtractor {
  readonly id: string;
  /**
   * The shape of one image the extractor takes, [height, width, channels] (null where any size
   * goes), when known (a layers model's input): images of another shape are a ShapeMismatchError
   * before anything is predicted.
   */
  readonly inputShape?: readonly (number | null)[];
  /** [n, d] float32 features of a batch. */
  features(images: tf.Tensor4D): tf.Tensor2D;
  /** [n, classes] probabilities of a batch (Inception Score, accuracy, GAN-test), when the extractor has a classifier head. */
  probabilities?(images: tf.Tensor4D): tf.Tensor2D;
}

/**
 * An extractor reading a layer of a tfjs-layers model (e.g. a classifier's penultimate layer)
 * and, if named, another layer (or 'output') as class probabilities.
 */
export function layerExtractor(options: { model: tfl.LayersModel; layer: string; probabilities?: string; id: string }): FeatureExtractor {
  const { model, layer, probabilities, id } = parseOptions(
    z.strictObject({ model: checkedLater, layer: z.string(), probabilities: z.string().optional(), id: checkedLater }),
    options,
    'layerExtractor',
  ) as typeof options;
  if (!(model instanceof tfl.LayersModel)) throw new InvalidArgumentError('layerExtractor: model must be a tf.LayersModel');
  checkId(id, 'layerExtractor');
  const inputShape = model.inputs[0]!.shape.slice(1);
  const view = (name: string) => {
    if (name === 'output') return model;
    const names = model.layers.map((l) => l.name);
    if (!names.includes(name)) throw new InvalidArgumentError(`layerExtractor: the model has no layer ${JSON.stringify(name)}; its layers: ${names.join(', ')}`);
    return tfl.model({ inputs: model.inputs, outputs: model.getLayer(name).output as tfl.SymbolicTensor });
  };
  const features = view(layer);
  const classes = probabilities === undefined ? undefined : view(probabilities);
  const run = (m: tfl.LayersModel, images: tf.Tensor4D) => {
    checkExtractorInput({ id, inputShape }, images, 'layerExtractor');
    return tf.tidy(() => tf.reshape(m.predict(images) as tf.Tensor, [images.shape[0], -1]) as tf.Tensor2D);
  };
  return { id, inputShape, features: (images) => run(features, images), ...(classes === undefined ? {} : { probabilities: (images: tf.Tensor4D) => run(classes, images) }) };
}

/**
 * Refuses images whose shape is not the extractor's input shape (when it has one) with a
 * ShapeMismatchError that names both, before anything is predicted (tfjs's own message names
 * neither the extractor nor the images).
 */
export function checkExtractorInput(extractor: Pick<FeatureExtractor, 'id' | 'inputShape'>, images: tf.Tensor, caller: string): void {
  const expected = extractor.inputShape;
  if (expected === undefined || !(images instanceof tf.Tensor)) return;
  const given = images.shape;
  if (given.length !== expected.length + 1 || expected.some((size, i) => size !== null && size !== given[i + 1])) {
    throw new ShapeMismatchError(
      `${caller}: extractor ${extractor.id} takes images of shape [n, ${expected.map((v) => v ?? '?').join(', ')}], got [${given.join(', ')}]`,
    );
  }
}

/** The part of a tfjs-converter GraphModel an extractor needs (typed here so that this package does not depend on it). */
export interface ExecutableGraph {
  execute(inputs: tf.Tensor, outputs: string | string[]): tf.Tensor | tf.Tensor[];
}

/**
 * An extractor reading named nodes of a GraphModel (tfjs-converter), e.g. a converted
 * InceptionV3's pool node for comparable Inception features.
 */
export function graphModelExtractor(options: { model: ExecutableGraph; output: string; probabilities?: string; id: string }): FeatureExtractor {
  const { model, output, probabilities, id } = parseOptions(
    z.strictObject({ model: checkedLater, output: z.string(), probabilities: z.string().optional(), id: checkedLater }),
    options,
    'graphModelExtractor',
  ) as typeof options;
  if (typeof model?.execute !== 'function') throw new InvalidArgumentError('graphModelExtractor: model must be a GraphModel (with execute)');
  checkId(id, 'graphModelExtractor');
  const run = (node: string, images: tf.Tensor4D) => tf.tidy(() => tf.reshape(model.execute(images, node) as tf.Tensor, [images.shape[0], -1]) as tf.Tensor2D);
  return { id, features: (images) => run(output, images), ...(probabilities === undefined ? {} : { probabilities: (images: tf.Tensor4D) => run(probabilities, images) }) };
}

/** An extractor from functions of an image batch (each returns a new [n, d] tensor). */
export function functionExtractor(options: {
  id: string;
  features: (images: tf.Tensor4D) => tf.Tensor2D;
  probabilities?: (images: tf.Tensor4D) => tf.Tensor2D;
}): FeatureExtractor {
  const { id, features, probabilities } = parseOptions(
    z.strictObject({ id: checkedLater, features: checkedLater, probabilities: z.custom((v) => typeof v === 'function', { error: 'expected a function from images [n, h, w, c] to [n, classes]' }).optional() }),
    options,
    'functionExtractor',
  ) as typeof options;
  checkId(id, 'functionExtractor');
  if (typeof features !== 'function') throw new InvalidArgumentError('functionExtractor: features must be a function from images [n, h, w, c] to [n, d]');
  return { id, features, ...(probabilities === undefined ? {} : { probabilities }) };
}

function checkId(id: unknown, caller: string): void {
  if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/i.test(id)) {
    throw new InvalidArgumentError(`${caller}: id must name the extractor in metric names (letters, digits, '.', '-'), got ${JSON.stringify(id)}`);
  }
}
