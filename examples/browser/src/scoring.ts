import type * as tfl from '@tensorflow/tfjs-layers';
import type { OnProgress } from '@dgm/core';
import { subset, type Dataset } from '@dgm/data';
import { accuracy, evaluateImages, extractFeatures, ganSampler } from '@dgm/metrics';
import { generate, type Gan } from '@dgm/models';
import { mnistCnn, mnistReference } from './assets.js';

export interface GeneratorScores {
  readonly fid: number;
  readonly inceptionScore: number;
  readonly inceptionScoreStd: number;
  readonly protocol: string;
}

/** FID (against mnist-cnn's MNIST train statistics) and Inception Score of `count` samples. */
export async function scoreGenerator(gan: Gan, generator: tfl.LayersModel, count: number, onProgress?: OnProgress): Promise<GeneratorScores> {
  const [extractor, reference] = await Promise.all([mnistCnn(), mnistReference()]);
  const [fid, is] = await evaluateImages({
    extractor,
    generated: ganSampler({ gan, generator, count, seed: 0 }),
    reference,
    metrics: ['fid', 'inception-score'],
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  return { fid: fid!.value, inceptionScore: is!.value, inceptionScoreStd: is!.std ?? Number.NaN, protocol: `${fid!.name}, ${is!.name}` };
}

/** FID of the first `count` images of a dataset against the same statistics (the page's value of a fixed set). */
export async function fidOfImages(dataset: Dataset, count: number): Promise<number> {
  const [extractor, reference] = await Promise.all([mnistCnn(), mnistReference()]);
  const [fid] = await evaluateImages({ extractor, generated: subset(dataset, Array.from({ length: count }, (_, i) => i)), reference });
  return fid!.value;
}

/**
 * The share of `perClass` samples of each class that mnist-cnn reads as the class asked for
 * (GAN-test). `labelShift` scores them against another class (a check that can fail).
 */
export async function classAccuracy(gan: Gan, perClass: number, labelShift = 0): Promise<readonly number[]> {
  const extractor = await mnistCnn();
  const { images, labels } = generate({ gan, count: 10 * perClass, seed: 2 });
  try {
    const scores = await extractFeatures({ extractor, images, output: 'probabilities' });
    return accuracy({ scores, labels: Int32Array.from(labels!, (c) => (c + labelShift) % 10) }).perClass;
  } finally {
    images.dispose();
  }
}
