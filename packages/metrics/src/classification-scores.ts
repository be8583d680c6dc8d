import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import { createClassifier } from '@dgm/models';
import { trainClassifier, type TrainClassifierOptions } from '@dgm/trainers';
import { accuracy } from './accuracy.js';
import { extractFeatures } from './extract-features.js';
import type { FeatureExtractor } from './feature-extractor.js';
import { protocolName, type MetricResult } from './metric-result.js';

/** A metric result with the accuracy of each class. */
export interface ClassificationScore extends MetricResult {
  readonly perClass: readonly number[];
}

export interface CasOptions {
  /** Labeled generated images (e.g. `sampleGan` of a conditional GAN). */
  readonly generated: Dataset;
  /** The real labeled test set. */
  readonly real: Dataset;
  /** A fresh, untrained classifier. Default `createClassifier` for the images' shape and classes. */
  readonly model?: tfl.LayersModel;
  /** Names the classifier and its training in the metric's name. Default 'cnn'. */
  readonly id?: string;
  /** trainClassifier's options. Default 5 epochs, batch 128, Adam 2e-3 with a cosine schedule, seed 0. */
  readonly training?: Omit<TrainClassifierOptions, 'model' | 'data'>;
}

/**
 * Classification accuracy score (Ravuri & Vinyals 2019), also called GAN-train (Shmelkov et
 * al. 2018): a classifier trained only on generated labeled images, tested on real ones.
 * Near the accuracy of the same classifier trained on real data when the generator covers
 * every class well; low when it drops modes or mixes classes up.
 */
export async function computeCas(options: CasOptions): Promise<ClassificationScore> {
  const { generated, real, id = 'cnn' } = options ?? ({} as CasOptions);
  for (const [name, set] of [['generated', generated], ['real', real]] as const) {
    if (set?.labels === undefined) throw new InvalidArgumentError(`computeCas: ${name} must be a labeled Dataset`);
  }
  const training = { epochs: 5, batchSize: 128, optimizer: { learningRate: 2e-3 }, schedule: 'cosine' as const, seed: 0, ...options.training };
  const model = options.model ?? createClassifier({ imageShape: generated.shape, numClasses: Math.max(generated.classNames.length, real.classNames.length), seed: training.seed });
  try {
    await trainClassifier({ ...training, model, data: generated });
    const score = await classifierAccuracy(model, real);
    const settings = { epochs: training.epochs, batchSize: training.batchSize, seed: training.seed };
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
export async function computeGanTest({ classifier, generated }: { classifier: FeatureExtractor; generated: Dataset }): Promise<ClassificationScore> {
  if (typeof classifier?.probabilities !== 'function') throw new InvalidArgumentError('computeGanTest: classifier must be an extractor with class probabilities (e.g. loadExtractor)');
  if (generated?.labels === undefined) throw new InvalidArgumentError('computeGanTest: generated must be a labeled Dataset');
  const scores = await extractFeatures({ extractor: classifier, images: generated, output: 'probabilities' });
  const result = accuracy({ scores, labels: generated.labels });
  return {
    name: protocolName('gantest', generated.count, classifier.id),
    value: result.accuracy,
    perClass: result.perClass,
    protocol: { samples: generated.count, extractor: classifier.id, reference: 'none', referenceSamples: 0 },
    warnings: [],
  };
}

async function classifierAccuracy(model: tfl.LayersModel, data: Dataset) {
  const extractor = { id: 'classifier', features: (images: tf.Tensor4D) => model.predict(images) as tf.Tensor2D };
  return accuracy({ scores: await extractFeatures({ extractor, images: data }), labels: data.labels! });
}
