import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createRandom, InvalidArgumentError, TrainingError, type Random } from '@dgm/core';
import { batches, type BatchStreamState, type Dataset } from '@dgm/data';
import { crossEntropyLoss } from '@dgm/losses';
import { Adam } from './adam.js';
import { completedEpochs } from './completed-epochs.js';
import { tensorLeakGuard } from './leak-guard.js';
import type { ClassifierContext, StepLogs, TrainCallback } from './callbacks.js';
import { classLogits } from './class-logits.js';
import { copyWeights } from './checkpoint.js';
import { readClassifierCheckpoint, writeClassifierCheckpoint } from './classifier-checkpoint.js';
import { checkLabeledData, evaluateClassifier, type ClassifierEvaluation } from './evaluate-classifier.js';
import type { AdamSettings } from './recipe.js';

export interface TrainClassifierOptions {
  /** A model from images in [−1, 1] to class probabilities, e.g. `createClassifier` from @dgm/models. */
  readonly model: tfl.LayersModel;
  /** Labeled training images. */
  readonly data: Dataset;
  /** Labeled images evaluated at the end of each epoch and of training (valLoss, valAccuracy). */
  readonly validation?: Dataset;
  /** Training steps, or `epochs` over the data (default 1 epoch). */
  readonly steps?: number;
  readonly epochs?: number;
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
  /** Seed of the data order and the augmentation. Default 0. */
  readonly seed?: number;
  readonly callbacks?: readonly TrainCallback<ClassifierContext>[];
  /** Stops training after the current step, with a final checkpoint. */
  readonly signal?: AbortSignal;
  /** Where checkpoints go; a final one is written at the end, on abort and on stop(). */
  readonly runDir?: string;
  /** A run folder to continue from its latest checkpoint: same model, data and options. */
  readonly resumeFrom?: string;
  /** Check that the number of live tensors stays flat from step to step. */
  readonly debug?: boolean;
}

export interface TrainClassifierResult {
  readonly step: number;
  readonly aborted: boolean;
  readonly logs: StepLogs | undefined;
  readonly checkpoint: string | undefined;
  /** Loss and accuracy on `validation` after training, if given. */
  readonly validation: ClassifierEvaluation | undefined;
}

/**
 * Trains a classifier with softmax cross-entropy and Adam, seeded end to end: data order and
 * augmentation come from `seed`, so a run (resumed or not) is reproducible. Each step's logs
 * hold loss, accuracy (of the batch, before the update), learningRate, epoch, ms and
 * images/s; callbacks and checkpoints work as in `trainGan`.
 */
export async function trainClassifier(options: TrainClassifierOptions): Promise<TrainClassifierResult> {
  const { model, data, validation, seed = 0, batchSize = 128, schedule = 'constant', labelSmoothing = 0, augment, callbacks = [], signal, runDir, debug = false } =
    options ?? ({} as TrainClassifierOptions);
  const settings: AdamSettings = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, ...options?.optimizer };
  checkInputs(options, settings);
  const logitsOf = classLogits(model, 'trainClassifier');
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const adam = new Adam(variables, settings);
  const root = createRandom({ seed });
  const dataSeed = root.uint32();
  let random = root.fork();
  const stream = (state: BatchStreamState | undefined) =>
    batches({ dataset: data, batchSize: Math.min(batchSize, data.count), dropRemainder: true, labels: true, epochs: Infinity, seed: dataSeed, ...(state === undefined ? {} : { state }) });
  let dataStream = stream(undefined);
  let step = 0;
  let lastCheckpoint: string | undefined;
  if (options.resumeFrom !== undefined) {
    const saved = await readClassifierCheckpoint(options.resumeFrom);
    if (saved.state.seed !== seed || saved.state.batchSize !== batchSize) {
      throw new InvalidArgumentError(`trainClassifier: ${options.resumeFrom} was trained with seed ${saved.state.seed} and batch size ${saved.state.batchSize}, not ${seed} and ${batchSize}`);
    }
    copyWeights(saved.model, model);
    saved.model.dispose();
    adam.setState(saved.optimizer);
    random = createRandom({ state: saved.state.random });
    dataStream = stream(saved.state.data);
    step = saved.state.step;
    lastCheckpoint = saved.dir;
  }
  const iterator = dataStream[Symbol.asyncIterator]();
  const startStep = step;
  const totalSteps = options.steps ?? Math.ceil((options.epochs ?? 1) * dataStream.batchesPerEpoch);
  const checkpoint = async (): Promise<string> => {
    if (runDir === undefined) throw new InvalidArgumentError('trainClassifier: checkpoints need a runDir');
    const state = { step, epoch: dataStream.getState().epoch, seed, random: random.getState(), data: dataStream.getState(), batchSize };
    lastCheckpoint = await writeClassifierCheckpoint(runDir, { model, optimizer: adam.getState(), state });
    return lastCheckpoint;
  };
  let stopRequested = false;
  const context: ClassifierContext = {
    model,
    runDir,
    startStep,
    totalSteps,
    batchSize,
    seed,
    checkpoint,
    stop: () => {
      stopRequested = true;
    },
  };
  const rate = (t: number) => (schedule === 'cosine' ? (settings.learningRate * (1 + Math.cos((Math.PI * t) / totalSteps))) / 2 : settings.learningRate);
  let logs: StepLogs | undefined;
  const checkLeaks = debug ? tensorLeakGuard('trainClassifier') : undefined;

  for (const cb of callbacks) await cb.onTrainBegin?.(context);
  while (step < totalSteps && !(signal?.aborted ?? false) && !stopRequested) {
    const started = performance.now();
    const epochBefore = completedEpochs(dataStream);
    const batch = (await iterator.next()).value as { images: tf.Tensor4D; labels: tf.Tensor1D };
    const images = augment === undefined ? batch.images : augment({ images: batch.images, random });
    adam.learningRate = rate(step);
    let correct = 0;
    const loss = adam.minimize(() => {
      const logits = logitsOf(images, true);
      correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.labels), 'int32')).dataSync()[0]!);
      return crossEntropyLoss(logits, batch.labels, { labelSmoothing });
    });
    const n = batch.labels.shape[0];
    tf.dispose([batch.images, batch.labels, images]);
    step++;
    const ms = performance.now() - started;
    logs = { step, epoch: completedEpochs(dataStream), loss, accuracy: correct / n, learningRate: adam.learningRate, ms, imagesPerSecond: (n * 1000) / ms };
    if (!Number.isFinite(loss)) {
      throw new TrainingError(`trainClassifier: non-finite loss at step ${step}; last good checkpoint: ${lastCheckpoint ?? 'none (set runDir and checkpoints)'}`);
    }
    checkLeaks?.(step);
    for (const cb of callbacks) await cb.onBatchEnd?.(step, logs, context);
    if (logs['epoch']! > epochBefore) {
      if (validation !== undefined) {
        const { loss: valLoss, accuracy: valAccuracy } = await evaluateClassifier({ model, data: validation });
        logs = { ...logs, valLoss, valAccuracy };
      }
      for (const cb of callbacks) await cb.onEpochEnd?.(epochBefore, logs, context);
    }
  }
  const aborted = (signal?.aborted ?? false) || stopRequested;
  if (runDir !== undefined && (step > startStep || lastCheckpoint === undefined)) await checkpoint();
  for (const cb of callbacks) await cb.onTrainEnd?.(logs, context);
  adam.dispose();
  const evaluation = validation === undefined ? undefined : await evaluateClassifier({ model, data: validation });
  return { step, aborted, logs, checkpoint: lastCheckpoint, validation: evaluation };
}

function checkInputs(options: TrainClassifierOptions, settings: AdamSettings): void {
  const { model, data, validation, steps, epochs, batchSize = 128, schedule = 'constant', augment } = options ?? ({} as TrainClassifierOptions);
  if (model?.trainableWeights === undefined) throw new InvalidArgumentError('trainClassifier: model must be a tf.LayersModel (e.g. createClassifier from @dgm/models)');
  checkLabeledData(model, data, 'trainClassifier');
  if (validation !== undefined) checkLabeledData(model, validation, 'trainClassifier (validation)');
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 0)) throw new InvalidArgumentError(`trainClassifier: steps must be a non-negative integer, got ${steps}`);
  if (epochs !== undefined && !(epochs > 0)) throw new InvalidArgumentError(`trainClassifier: epochs must be positive, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`trainClassifier: batchSize must be a positive integer, got ${batchSize}`);
  if (schedule !== 'constant' && schedule !== 'cosine') throw new InvalidArgumentError(`trainClassifier: schedule must be 'constant' or 'cosine', got ${JSON.stringify(schedule)}`);
  if (augment !== undefined && typeof augment !== 'function') throw new InvalidArgumentError('trainClassifier: augment must be a function ({ images, random }) => images');
  if (!(settings.learningRate > 0) || !(settings.beta1 >= 0 && settings.beta1 < 1) || !(settings.beta2 >= 0 && settings.beta2 < 1)) {
    throw new InvalidArgumentError(`trainClassifier: the optimizer needs learningRate > 0 and betas in [0, 1), got ${JSON.stringify(settings)}`);
  }
}
