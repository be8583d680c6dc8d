import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { InvalidArgumentError, ShapeMismatchError, type OnProgress, parseOptions } from '@dgm/core';
import { checkExtractorInput, type FeatureExtractor } from './feature-extractor.js';
import type { FeatureMatrix } from './features.js';
import { checkImageSource, forEachBatch, imageCount, type ImageSource } from './image-source.js';
import { checkedLater, finite } from './options.js';
import { checkOnProgress } from './progress.js';
import { StatisticsAccumulator, type FeatureStatistics } from './statistics.js';

export interface ExtractFeaturesOptions {
  readonly extractor: FeatureExtractor;
  /** Float32 images in [−1, 1]; a tensor or sampler in another range (e.g. [0, 255] or [0, 1] pixels) is an InvalidArgumentError. */
  readonly images: ImageSource;
  /** 'features' (default) or the extractor's class 'probabilities'. */
  readonly output?: 'features' | 'probabilities';
  /** Images per forward pass. Default 250. */
  readonly batchSize?: number;
  /** Called after each batch: stage 'features' (or 'probabilities'), done = images so far, total = all images. */
  readonly onProgress?: OnProgress;
}

/** Runs the extractor over every image: one row of float32 features (or probabilities) per image. */
export async function extractFeatures(options: ExtractFeaturesOptions): Promise<FeatureMatrix> {
  return featureMatrix(options, 'extractFeatures');
}

/** extractFeatures, naming `caller` in its errors, e.g. 'evaluateImages (generated)'. */
export async function featureMatrix(options: ExtractFeaturesOptions, caller: string): Promise<FeatureMatrix> {
  const count = imageCount(checkOptions(options, caller));
  if (count < 1) throw new InvalidArgumentError(`${caller}: expected at least 1 image, got 0`);
  let values: Float32Array | undefined;
  let row = 0;
  await eachFeatureBatch(options, caller, (batch) => {
    values ??= new Float32Array(count * batch.dim);
    values.set(batch.values, row * batch.dim);
    row += batch.count;
  });
  return { values: values!, count, dim: values!.length / count };
}

/**
 * The mean and covariance of the extractor's features over every image, accumulated batch
 * by batch in float64 (no feature matrix is kept: any number of images fits).
 */
export async function extractStatistics(options: Omit<ExtractFeaturesOptions, 'output'>): Promise<FeatureStatistics> {
  const count = imageCount(checkOptions(options, 'extractStatistics'));
  if (count < 2) throw new InvalidArgumentError(`extractStatistics: a covariance needs at least 2 images, got ${count}`);
  let accumulator: StatisticsAccumulator | undefined;
  await eachFeatureBatch(options, 'extractStatistics', async (batch) => {
    accumulator ??= new StatisticsAccumulator(batch.dim);
    await accumulator.add(batch);
  });
  return accumulator!.statistics();
}

const optionsSchema = z.strictObject({
  extractor: checkedLater,
  images: checkedLater,
  output: checkedLater,
  batchSize: finite.optional(),
  onProgress: checkedLater,
});

function checkOptions(options: ExtractFeaturesOptions, caller: string): ImageSource {
  const { extractor, images, output = 'features' } = parseOptions(optionsSchema, options, caller) as ExtractFeaturesOptions;
  if (typeof extractor?.features !== 'function') throw new InvalidArgumentError(`${caller}: extractor must be a FeatureExtractor (loadExtractor, layerExtractor, …)`);
  if (output !== 'features' && output !== 'probabilities') throw new InvalidArgumentError(`${caller}: output must be 'features' or 'probabilities', got ${JSON.stringify(output)}`);
  if (output === 'probabilities' && extractor.probabilities === undefined) throw new InvalidArgumentError(`${caller}: extractor ${extractor.id} has no class probabilities`);
  checkOnProgress(options.onProgress, caller);
  checkImageSource(images, caller);
  if (images instanceof tf.Tensor) checkExtractorInput(extractor, images, caller);
  return images;
}

async function eachFeatureBatch(options: ExtractFeaturesOptions, caller: string, use: (batch: FeatureMatrix) => void | Promise<void>): Promise<void> {
  const { extractor, images, output = 'features', batchSize = 250, onProgress } = options;
  let dim: number | undefined;
  let done = 0;
  await forEachBatch(images, batchSize, caller, async (batch) => {
    checkExtractorInput(extractor, batch, caller);
    const out = output === 'features' ? extractor.features(batch) : extractor.probabilities!(batch);
    try {
      if (out.rank !== 2 || out.shape[0] !== batch.shape[0]) {
        throw new ShapeMismatchError(`${caller}: extractor ${extractor.id} gave shape [${out.shape.join(', ')}] for ${batch.shape[0]} images; expected [${batch.shape[0]}, d]`);
      }
      if (dim !== undefined && out.shape[1] !== dim) throw new ShapeMismatchError(`${caller}: extractor ${extractor.id} gave ${out.shape[1]} features, earlier ${dim}`);
      dim = out.shape[1];
      await use({ values: (await out.data()) as Float32Array, count: out.shape[0], dim });
    } finally {
      out.dispose();
    }
    done += batch.shape[0];
    onProgress?.({ stage: output, done, total: imageCount(images) });
  });
}
