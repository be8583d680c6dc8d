import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { parseOptions, type Random } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import type { ClassifierContext } from './callbacks.js';
import { ClassifierStep } from './classifier-step.js';
import { checkLabeledData, evaluateClassifier, type ClassifierEvaluation } from './evaluate-classifier.js';
import type { AdamSettings } from './recipe.js';
import { adamOverrides, aFunction, dataset, positiveInt, runOptionsShape } from './option-schemas.js';
import { checkBatchSize, checkRunOptions, prepareStore } from './run-options.js';
import { runLoop, type LoopResult, type RunOptions } from './train-loop.js';

export interface TrainClassifierOptions extends RunOptions<ClassifierContext> {
  /** A model from images in [−1, 1] to class probabilities, e.g. `createClassifier` from @dgm/models. */
  readonly model: tfl.LayersModel;
  /** Labeled training images. */
  readonly data: Dataset;
  /** Labeled images evaluated at the end of each epoch and of training (valLoss, valAccuracy). */
  readonly validation?: Dataset;
  /** Default 128, clamped to the data's size; a batchSize asked for that is larger than the data is an error. */
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
  checkInputs(options);
  const settings: AdamSettings = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, ...options.optimizer };
  const { model, data, validation, batchSize = 128, schedule = 'constant', labelSmoothing = 0, augment } = options;
  await prepareStore(options.store, 'trainClassifier');
  let step: ClassifierStep | undefined;
  // The evaluation at the last epoch's end, which is the final one when training stops there.
  let atEpochEnd: ClassifierEvaluation | undefined;
  const evaluate = async () => {
    atEpochEnd = await evaluateClassifier({ model, data: validation! });
    return { valLoss: atEpochEnd.loss, valAccuracy: atEpochEnd.accuracy };
  };
  try {
    step = new ClassifierStep({ model, optimizer: settings, schedule, labelSmoothing, augment, caller: 'trainClassifier' });
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
    step?.dispose();
  }
}

export const layersModel = z.custom<tfl.LayersModel>((v) => typeof v === 'object' && v !== null && Array.isArray((v as { trainableWeights?: unknown }).trainableWeights), {
  error: 'expected a tf.LayersModel (e.g. createClassifier from @dgm/models)',
});

/** trainClassifier's options: each field checked, unknown ones refused. */
export const trainClassifierSchema = z.strictObject({
  model: layersModel,
  data: dataset,
  validation: dataset.optional(),
  batchSize: positiveInt.optional(),
  optimizer: adamOverrides.optional(),
  schedule: z.enum(['constant', 'cosine']).optional(),
  augment: aFunction<NonNullable<TrainClassifierOptions['augment']>>('expected a function ({ images, random }) => images').optional(),
  labelSmoothing: z.number().min(0).lt(1).optional(),
  ...runOptionsShape,
});

function checkInputs(options: TrainClassifierOptions): void {
  parseOptions(trainClassifierSchema, options, 'trainClassifier');
  const { model, data, validation, batchSize } = options;
  checkLabeledData(model, data, 'trainClassifier');
  if (validation !== undefined) checkLabeledData(model, validation, 'trainClassifier (validation)');
  checkRunOptions(options, 'trainClassifier');
  checkBatchSize(batchSize, data, 'trainClassifier');
}
