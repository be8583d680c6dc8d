import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { InvalidArgumentError, type OnProgress, parseOptions } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import { createClassifier } from '@dgm/models';
import { accuracy } from './accuracy.js';
import { featureMatrix } from './extract-features.js';
import type { FeatureExtractor } from './feature-extractor.js';
import { checkedLater, finite, layersModelType } from './options.js';
import { protocolName, type MetricResult } from './metric-result.js';
import { checkOnProgress, progressIn } from './progress.js';

/** A metric result with the accuracy of each class. */
export interface ClassificationScore extends MetricResult {
  readonly perClass: readonly number[];
}

/** What computeCas hands its classifier training. */
export interface CasTrainingOptions {
  /** The fresh classifier to train, from images in [−1, 1] to class probabilities. */
  readonly model: tfl.LayersModel;
  /** The labeled generated images to train it on. */
  readonly data: Dataset;
  /** Seed of the data order (and whatever else the training draws). */
  readonly seed: number;
  /** computeCas's onProgress, if given: to call as training advances, with stage 'cas training' (done and total count steps). */
  readonly onProgress?: OnProgress;
}

/** What a classifier training tells computeCas: the settings its protocol records, e.g. { epochs, batchSize }. */
export interface CasTrainingRecord {
  readonly settings: Readonly<Record<string, number | string>>;
}

/** Trains a classifier in place for computeCas: `casTraining()` of @dgm/trainers, or any function of this shape. */
export type CasTraining = (options: CasTrainingOptions) => Promise<CasTrainingRecord>;

export interface CasOptions {
  /** Labeled generated images (e.g. `sampleGan` of a conditional GAN). */
  readonly generated: Dataset;
  /** The real labeled test set. */
  readonly real: Dataset;
  /** A fresh, untrained classifier. Default `createClassifier` for the images' shape and classes (batch-norm momentum 0.9). */
  readonly model?: tfl.LayersModel;
  /** Names the classifier and its training in the metric's name. Default 'cnn'. */
  readonly id?: string;
  /** Trains the classifier on the generated images, e.g. `casTraining()` of @dgm/trainers (5 epochs, batch 128, Adam 2e-3 with a cosine schedule). */
  readonly train: CasTraining;
  /** Seeds the default classifier's weights and the training. Default 0. */
  readonly seed?: number;
  /** Called as the classifier trains (stage 'cas training', given to `train`; steps) and as it is evaluated on the real set (stage 'cas evaluation'; images). */
  readonly onProgress?: OnProgress;
}

export interface GanTestOptions {
  /** An extractor with class probabilities, trained on real data (e.g. loadExtractor). */
  readonly classifier: FeatureExtractor;
  /** Labeled generated images. */
  readonly generated: Dataset;
  /** Called after each batch: stage 'gantest probabilities', done and total count images. */
  readonly onProgress?: OnProgress;
}

/**
 * Classification accuracy score (Ravuri & Vinyals 2019), also called GAN-train (Shmelkov et
 * al. 2018): a classifier trained only on generated labeled images, tested on real ones.
 * Near the accuracy of the same classifier trained on real data when the generator covers
 * every class well; low when it drops modes or mixes classes up.
 */
export async function computeCas(options: CasOptions): Promise<ClassificationScore> {
  const { generated, real, train, id = 'cnn', seed = 0, onProgress } = parseOptions(casSchema, options, 'computeCas') as CasOptions;
  for (const [name, set] of [['generated', generated], ['real', real]] as const) {
    if (set?.labels === undefined) throw new InvalidArgumentError(`computeCas: ${name} must be a labeled Dataset`);
  }
  if (typeof train !== 'function') throw new InvalidArgumentError(`computeCas: train must be a classifier training (e.g. casTraining() of @dgm/trainers), got ${typeof train}`);
  checkOnProgress(onProgress, 'computeCas');
  if (!/^[a-z0-9][a-z0-9.-]*$/i.test(id)) throw new InvalidArgumentError(`computeCas: id must name the classifier in metric names (letters, digits, '.', '-'), got ${JSON.stringify(id)}`);
  if (!Number.isInteger(seed) || seed < 0) throw new InvalidArgumentError(`computeCas: seed must be a non-negative integer, got ${seed}`);
  // Batch-norm momentum 0.9, not 0.99: a CAS training of a few dozen steps (a few thousand samples) leaves 0.99's moving statistics near their initial values, and the classifier near chance on real images.
  const model = options.model ?? createClassifier({ imageShape: generated.shape, numClasses: Math.max(generated.classNames.length, real.classNames.length), batchNormMomentum: 0.9, seed });
  try {
    const record = await train({ model, data: generated, seed, ...(onProgress === undefined ? {} : { onProgress }) });
    const score = await classifierAccuracy(model, real, onProgress);
    const settings = { ...record.settings, seed };
    return {
      name: protocolName('cas', generated.count, id),
      value: score.accuracy,
      perClass: score.perClass,
      protocol: { samples: generated.count, extractor: id, reference: `${real.name}/${real.split}`, referenceSamples: real.count, settings },
      warnings: [],
    };
  } finally {
    if (options.model === undefined) model.dispose();
  }
}

/**
 * GAN-test (Shmelkov et al. 2018): the accuracy, on generated labeled images, of a classifier
 * trained on real ones (e.g. a shipped extractor's classifier head). High when the generated
 * images look like their class to a real-data classifier.
 */
export async function computeGanTest(options: GanTestOptions): Promise<ClassificationScore> {
  const { classifier, generated, onProgress } = parseOptions(
    z.strictObject({ classifier: checkedLater, generated: checkedLater, onProgress: checkedLater }),
    options,
    'computeGanTest',
  ) as GanTestOptions;
  if (typeof classifier?.probabilities !== 'function') throw new InvalidArgumentError('computeGanTest: classifier must be an extractor with class probabilities (e.g. loadExtractor)');
  if (generated?.labels === undefined) throw new InvalidArgumentError('computeGanTest: generated must be a labeled Dataset');
  checkOnProgress(onProgress, 'computeGanTest');
  const scores = await featureMatrix({ extractor: classifier, images: generated, output: 'probabilities', ...progressIn(onProgress, 'gantest probabilities') }, 'computeGanTest');
  const result = accuracy({ scores, labels: generated.labels });
  return {
    name: protocolName('gantest', generated.count, classifier.id),
    value: result.accuracy,
    perClass: result.perClass,
    protocol: { samples: generated.count, extractor: classifier.id, reference: 'none', referenceSamples: 0 },
    warnings: [],
  };
}

const casSchema = z.strictObject({
  generated: checkedLater,
  real: checkedLater,
  model: layersModelType.optional(),
  id: z.string().optional(),
  train: checkedLater,
  seed: finite.optional(),
  onProgress: checkedLater,
});

async function classifierAccuracy(model: tfl.LayersModel, data: Dataset, onProgress: OnProgress | undefined) {
  const extractor = { id: 'classifier', features: (images: tf.Tensor4D) => model.predict(images) as tf.Tensor2D };
  return accuracy({ scores: await featureMatrix({ extractor, images: data, ...progressIn(onProgress, 'cas evaluation') }, 'computeCas (real)'), labels: data.labels! });
}
