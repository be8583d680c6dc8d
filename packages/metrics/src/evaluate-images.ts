import * as z from 'zod';
import { InvalidArgumentError, type OnProgress, parseOptions } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import { checkStatistics } from './check-statistics.js';
import { featureMatrix } from './extract-features.js';
import type { FeatureExtractor } from './feature-extractor.js';
import type { FeatureMatrix } from './features.js';
import { computeFid } from './fid.js';
import { checkImageSource, imageCount, type ImageSource } from './image-source.js';
import { computeInceptionScore } from './inception-score.js';
import { computeKid } from './kid.js';
import { protocolName, type MetricResult } from './metric-result.js';
import { checkedLater, extractorType, finite } from './options.js';
import { computePrecisionRecall } from './precision-recall.js';
import { checkOnProgress, progressIn } from './progress.js';
import type { ReferenceStatistics } from './reference-statistics.js';

export type ImageMetric = 'fid' | 'kid' | 'inception-score' | 'precision-recall';

export interface EvaluateImagesOptions {
  readonly extractor: FeatureExtractor;
  /** The images to score, float32 in [−1, 1] (a tensor or sampler in another range is an InvalidArgumentError). */
  readonly generated: ImageSource;
  /** Real images (in [−1, 1], as the generated), or their saved statistics (FID only). Not needed for the Inception Score alone. */
  readonly reference?: ImageSource | ReferenceStatistics;
  /** What the reference is, for the protocol. Default: a Dataset's 'name/split', saved statistics' source, else 'images'. */
  readonly referenceName?: string;
  /** Default ['fid']. */
  readonly metrics?: readonly ImageMetric[];
  /** KID: default 100 subsets of 1000 (clamped to the smaller set), seed 0. */
  readonly kid?: { readonly subsets?: number; readonly subsetSize?: number; readonly seed?: number };
  /** Inception Score splits. Default 10. */
  readonly splits?: number;
  /** Precision/recall neighbourhood size. Default 3. */
  readonly k?: number;
  readonly batchSize?: number;
  /**
   * Called after each batch of feature extraction, by stage: 'generated features', 'reference
   * features', 'generated probabilities' (Inception Score); done and total count images.
   */
  readonly onProgress?: OnProgress;
}

/**
 * Scores images with one extractor: each result is named by protocol (`fid10k-mnist-cnn`,
 * `kid10k-…`, `is10k-…`, `precision10k-…`, `recall10k-…`) and carries it (sample counts,
 * extractor, reference). Features are extracted once per set.
 */
export async function evaluateImages(options: EvaluateImagesOptions): Promise<MetricResult[]> {
  const { extractor, generated, reference, metrics = ['fid'], kid = {}, splits = 10, k = 3, batchSize = 250, onProgress } = parseOptions(
    evaluateSchema,
    options,
    'evaluateImages',
  ) as EvaluateImagesOptions;
  checkOnProgress(onProgress, 'evaluateImages');
  const known: ImageMetric[] = ['fid', 'kid', 'inception-score', 'precision-recall'];
  const unknown = metrics.find((m) => !known.includes(m));
  if (unknown !== undefined) throw new InvalidArgumentError(`evaluateImages: unknown metric ${JSON.stringify(unknown)}; known: ${known.join(', ')}`);
  const needsReference = metrics.some((m) => m !== 'inception-score');
  const statistics = isStatistics(reference) ? reference : undefined;
  if (needsReference && reference === undefined) throw new InvalidArgumentError('evaluateImages: fid, kid and precision-recall need a reference');
  checkImageSource(generated, 'evaluateImages', 'generated');
  if (statistics !== undefined) {
    if (metrics.some((m) => m === 'kid' || m === 'precision-recall')) throw new InvalidArgumentError('evaluateImages: kid and precision-recall need reference images, not statistics');
    if (statistics.extractor !== extractor.id) throw new InvalidArgumentError(`evaluateImages: the reference statistics are of extractor ${statistics.extractor}, not ${extractor.id}`);
    await checkStatistics(statistics, 'reference', 'evaluateImages');
  } else if (reference !== undefined) {
    checkImageSource(reference, 'evaluateImages', 'reference');
  }
  const samples = imageCount(generated);
  const features = (images: ImageSource, which: 'generated' | 'reference', output: 'features' | 'probabilities' = 'features') =>
    featureMatrix({ extractor, images, output, batchSize, ...progressIn(onProgress, `${which} ${output}`) }, `evaluateImages (${which})`);
  const generatedFeatures = needsReference ? await features(generated, 'generated') : undefined;
  const realFeatures: FeatureMatrix | undefined = needsReference && statistics === undefined ? await features(reference as ImageSource, 'reference') : undefined;
  const referenceSamples = statistics?.count ?? (reference === undefined ? 0 : imageCount(reference as ImageSource));
  const protocol = (settings?: Record<string, number | string>) => ({
    samples,
    extractor: extractor.id,
    reference: reference === undefined ? 'none' : (options.referenceName ?? statistics?.source ?? datasetName(reference as ImageSource)),
    referenceSamples,
    ...(settings === undefined ? {} : { settings }),
  });
  const name = (metric: string) => protocolName(metric, samples, extractor.id);

  const results: MetricResult[] = [];
  for (const metric of metrics) {
    if (metric === 'fid') {
      const fid = await computeFid({ generated: generatedFeatures!, real: statistics ?? realFeatures! });
      results.push({ name: name('fid'), value: fid.value, protocol: protocol(), warnings: fid.warnings });
    } else if (metric === 'kid') {
      const result = await computeKid({ generated: generatedFeatures!, real: realFeatures!, ...kid });
      results.push({ name: name('kid'), value: result.mean, std: result.std, protocol: protocol({ subsets: result.subsets, subsetSize: result.subsetSize, seed: kid.seed ?? 0 }), warnings: result.warnings });
    } else if (metric === 'inception-score') {
      const result = computeInceptionScore({ probabilities: await features(generated, 'generated', 'probabilities'), splits });
      results.push({ name: name('is'), value: result.mean, std: result.std, protocol: { ...protocol({ splits }), reference: 'none', referenceSamples: 0 }, warnings: [] });
    } else {
      const result = await computePrecisionRecall({ generated: generatedFeatures!, real: realFeatures!, k });
      results.push({ name: name('precision'), value: result.precision, protocol: protocol({ k }), warnings: [] });
      results.push({ name: name('recall'), value: result.recall, protocol: protocol({ k }), warnings: [] });
    }
  }
  return results;
}

const positive = finite.optional();
const evaluateSchema = z.strictObject({
  extractor: extractorType,
  generated: checkedLater,
  reference: checkedLater,
  referenceName: z.string().optional(),
  metrics: z.array(z.string()).min(1).optional(),
  kid: z.strictObject({ subsets: positive, subsetSize: positive, seed: positive }).optional(),
  splits: positive,
  k: positive,
  batchSize: positive,
  onProgress: checkedLater,
});

function isStatistics(value: unknown): value is ReferenceStatistics {
  return typeof value === 'object' && value !== null && 'covariance' in value && 'mean' in value;
}

function datasetName(source: ImageSource): string {
  const dataset = source as Partial<Dataset>;
  return typeof dataset.name === 'string' && typeof dataset.split === 'string' ? `${dataset.name}/${dataset.split}` : 'images';
}
