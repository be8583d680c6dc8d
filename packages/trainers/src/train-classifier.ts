import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, type Random } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import type { ClassifierContext } from './callbacks.js';
import { ClassifierStep } from './classifier-step.js';
import { checkLabeledData, evaluateClassifier, type ClassifierEvaluation } from './evaluate-classifier.js';
import type { AdamSettings } from './recipe.js';
import { checkRunOptions } from './run-options.js';
import { runLoop, type LoopResult, type RunOptions } from './train-loop.js';

export interface TrainClassifierOptions extends RunOptions<ClassifierContext> {
  /** A model from images in [−1, 1] to class probabilities, e.g. `createClassifier` from @dgm/models. */
  readonly model: tfl.LayersModel;
  /** Labeled training images. */
  readonly data: Dataset;
  /** Labeled images evaluated at the end of each epoch and of training (valLoss, valAccuracy). */
  readonly validation?: Dataset;
  /** Default 128. */
  readonly batchSize?: number;
  /** Adam; default learning rate 1e-3, β = (0.9, 0.999). */
  readonly optimizer?: Partial<AdamSettings>;
  /** 'constant' (default) or 'cosine': the learning rate decays to 0 by the last step. */
  readonly schedule?: 'constant' | 'cosine';
  /** Augmentation of each training batch, e.g. `({ images, random }) => randomTranslate({ images, random, max: 2 })`. */
  readonly augment?: (batch: { images: tf.Tensor4D; random: Random }) => tf.Tensor4D;
  /** Label smoothing ε of the cross-entropy. Default 0. */
  readonly labelSmoothing?: number;
}

export interface TrainClassifierResult extends LoopResult {
  /** Loss and accuracy on `validation` after training, if given. */
  readonly validation: ClassifierEvaluation | undefined;
}

/** The checkpoint format of trainClassifier. */
export const classifierCheckpointFormat = 'dgm-classifier-run/1';

/**
 * Trains a classifier with softmax cross-entropy and Adam, seeded end to end: data order and
 * augmentation come from `seed`, so a run (resumed or not) is reproducible. Each step's logs
 * hold loss, accuracy (of the batch, before the update), learningRate, epoch, ms and
 * images/s; callbacks and checkpoints work as in `trainGan`.
 */
export async function trainClassifier(options: TrainClassifierOptions): Promise<TrainClassifierResult> {
  const settings: AdamSettings = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, ...options?.optimizer };
  checkInputs(options, settings);
  const { model, data, validation, batchSize = 128, schedule = 'constant', labelSmoothing = 0, augment } = options;
  const step = new ClassifierStep({ model, optimizer: settings, schedule, labelSmoothing, augment, caller: 'trainClassifier' });
  // The evaluation at the last epoch's end, which is the final one when training stops there.
  let atEpochEnd: ClassifierEvaluation | undefined;
  const evaluate = async () => {
    atEpochEnd = await evaluateClassifier({ model, data: validation! });
    return { valLoss: atEpochEnd.loss, valAccuracy: atEpochEnd.accuracy };
  };
  try {
    const result = await runLoop({
      ...options,
      caller: 'trainClassifier',
      format: classifierCheckpointFormat,
      step,
      streams: [['data', { dataset: data, labels: true }]],
      batchSize,
      context: (base) => ({ ...base, model }),
      ...(validation === undefined ? {} : { epochLogs: evaluate }),
    });
    const endedOnEpoch = atEpochEnd !== undefined && result.logs?.['valLoss'] !== undefined;
    const final = validation === undefined ? undefined : endedOnEpoch ? atEpochEnd : await evaluateClassifier({ model, data: validation });
    return { ...result, validation: final };
  } finally {
    step.dispose();
  }
}

function checkInputs(options: TrainClassifierOptions, settings: AdamSettings): void {
  const { model, data, validation, batchSize = 128, schedule = 'constant', augment } = options ?? ({} as TrainClassifierOptions);
  if (model?.trainableWeights === undefined) throw new InvalidArgumentError('trainClassifier: model must be a tf.LayersModel (e.g. createClassifier from @dgm/models)');
  checkLabeledData(model, data, 'trainClassifier');
  if (validation !== undefined) checkLabeledData(model, validation, 'trainClassifier (validation)');
  checkRunOptions(options, 'trainClassifier');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`trainClassifier: batchSize must be a positive integer, got ${batchSize}`);
  if (schedule !== 'constant' && schedule !== 'cosine') throw new InvalidArgumentError(`trainClassifier: schedule must be 'constant' or 'cosine', got ${JSON.stringify(schedule)}`);
  if (augment !== undefined && typeof augment !== 'function') throw new InvalidArgumentError('trainClassifier: augment must be a function ({ images, random }) => images');
  if (!(settings.learningRate > 0) || !(settings.beta1 >= 0 && settings.beta1 < 1) || !(settings.beta2 >= 0 && settings.beta2 < 1)) {
    throw new InvalidArgumentError(`trainClassifier: the optimizer needs learningRate > 0 and betas in [0, 1), got ${JSON.stringify(settings)}`);
  }
}
