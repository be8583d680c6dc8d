import * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { InvalidArgumentError, type ImageShape, parseOptions } from '@dgm/core';
import { checkImageShape, checkPositiveInteger, checkSeed } from './architecture.js';
import { Seeds } from './blocks.js';
import { LazyConv2D } from './lazy-conv2d.js';
import { finite, imageShapeType } from './options.js';

export interface ClassifierOptions {
  /** [28, 28, 1], [32, 32, 3] or [64, 64, 3]. */
  readonly imageShape: ImageShape;
  /** Default 10. */
  readonly numClasses?: number;
  /** Channels of the first stage (doubled twice). Default 32: 4 × 32 = 128 features. */
  readonly filters?: number;
  /** Momentum of the batch-norm moving statistics. Default 0.99 (short runs want less, e.g. 0.9). */
  readonly batchNormMomentum?: number;
  /** Seed of the initial weights. Default 0. */
  readonly seed?: number;
}

/** The layers of a classifier that metrics read: pooled features, class logits and probabilities. */
export const classifierLayers = { features: 'features', logits: 'logits', probabilities: 'probabilities' } as const;

/**
 * A small all-convolutional classifier: three stages of 3×3 convolution, batch norm and ReLU
 * at widths f, 2f, 4f (stride-2 convolutions between them), global average pooling to the
 * 4f-dimensional layer `features`, a dense layer `logits` and a softmax `probabilities`, the
 * model's output. Takes images in [−1, 1]. No dropout, so that training is reproducible from
 * its seed (tfjs's dropout draws outside any seed).
 */
const classifierSchema = z.strictObject({
  imageShape: imageShapeType,
  numClasses: finite.default(10),
  filters: finite.default(32),
  batchNormMomentum: finite.default(0.99),
  seed: finite.default(0),
});

export function createClassifier(options: ClassifierOptions): tfl.LayersModel {
  const { imageShape, numClasses, filters, batchNormMomentum, seed } = parseOptions(classifierSchema, options, 'createClassifier');
  checkImageShape(imageShape, 'createClassifier');
  checkPositiveInteger(numClasses, 'numClasses', 'createClassifier');
  checkPositiveInteger(filters, 'filters', 'createClassifier');
  checkSeed(seed, 'createClassifier');
  if (!(batchNormMomentum >= 0 && batchNormMomentum < 1)) throw new InvalidArgumentError(`createClassifier: batchNormMomentum must be in [0, 1), got ${batchNormMomentum}`);
  const seeds = new Seeds(seed);
  const image = tfl.input({ shape: [...imageShape], name: 'image' });
  let x = image;
  const block = (channels: number, strides: number) => {
    x = new LazyConv2D({ filters: channels, kernelSize: 3, strides, padding: 'same', useBias: false, kernelInitializer: seeds.glorot() }).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.batchNormalization({ momentum: batchNormMomentum }).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.reLU().apply(x) as tfl.SymbolicTensor;
  };
  block(filters, 1);
  block(filters, 2);
  block(2 * filters, 1);
  block(2 * filters, 2);
  block(4 * filters, 1);
  const features = tfl.layers.globalAveragePooling2d({ name: classifierLayers.features }).apply(x);
  const logits = tfl.layers.dense({ units: numClasses, kernelInitializer: seeds.glorot(), name: classifierLayers.logits }).apply(features);
  const probabilities = tfl.layers.activation({ activation: 'softmax', name: classifierLayers.probabilities }).apply(logits) as tfl.SymbolicTensor;
  return tfl.model({ inputs: image, outputs: probabilities, name: 'classifier' });
}
