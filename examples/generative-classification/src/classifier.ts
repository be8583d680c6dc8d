import type * as tfl from '@tensorflow/tfjs-layers';
import { randomTranslate, type Dataset } from '@dgm/data';
import { computeCas, computeGanTest, layerExtractor } from '@dgm/metrics';
import { createClassifier } from '@dgm/models';
import { casTraining } from '@dgm/trainers';
import { progressBar, taskProgress } from '@dgm/trainers/node';

/** How every classifier of the experiments trains: the same model and training for real, generated and mixed data. */
export interface ClassifierProtocol {
  /** Epochs over the training set, and at least `minSteps` steps (a few hundred labels make short epochs). */
  readonly epochs: number;
  readonly minSteps: number;
  /** createClassifier's widths. Default 32. */
  readonly widths: number | undefined;
}

export interface ClassifierScore {
  /** Top-1 accuracy on the test set, and of each class. */
  readonly accuracy: number;
  readonly perClass: readonly number[];
  readonly steps: number;
  readonly minutes: number;
}

/** The protocol in words, for the report. */
export function describeProtocol({ epochs, minSteps, widths = 32 }: ClassifierProtocol): string {
  return `createClassifier (widths ${widths}, batch-norm momentum 0.9), ${epochs} epochs and at least ${minSteps} steps at batch 128, Adam 2e-3 on a cosine schedule, random ±2 px translations`;
}

/**
 * Trains the protocol's classifier on `train` (real, generated or mixed) and scores it on the
 * real `test` set: computeCas's train-then-test, whatever the training images are. Returns the
 * trained model too (the caller disposes it).
 */
export async function trainAndTest(train: Dataset, test: Dataset, seed: number, protocol: ClassifierProtocol): Promise<{ score: ClassifierScore; model: tfl.LayersModel }> {
  const batchSize = Math.min(128, train.count);
  const steps = Math.max(protocol.minSteps, protocol.epochs * Math.ceil(train.count / batchSize));
  const model = createClassifier({ imageShape: train.shape, numClasses: test.classNames.length, filters: protocol.widths ?? 32, batchNormMomentum: 0.9, seed });
  const started = performance.now();
  try {
    const training = casTraining({ steps, batchSize, optimizer: { learningRate: 2e-3 }, augment: ({ images, random }) => randomTranslate({ images, random, max: 2 }), callbacks: [progressBar()] });
    const result = await computeCas({ generated: train, real: test, model, train: training, seed });
    return { score: { accuracy: result.value, perClass: result.perClass, steps, minutes: (performance.now() - started) / 60_000 }, model };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Accuracy on a labeled set of a model whose output is class probabilities (a classifier, or a D through discriminatorClassifier). */
export async function accuracyOf(model: tfl.LayersModel, data: Dataset, id: string): Promise<{ accuracy: number; perClass: readonly number[] }> {
  const classifier = layerExtractor({ model, layer: model.layers[model.layers.length - 1]!.name, probabilities: 'output', id });
  const result = await computeGanTest({ classifier, generated: data, onProgress: taskProgress() });
  return { accuracy: result.value, perClass: result.perClass };
}
