import { InvalidArgumentError } from '@dgm/core';
import { evaluateImages, ganSampler, type FeatureExtractor, type ImageMetric, type ImageSource, type ReferenceStatistics } from '@dgm/metrics';
import type { TrainCallback } from './callbacks.js';

export interface MetricsCallbackOptions {
  /** Score every this many steps. */
  readonly every: number;
  readonly extractor: FeatureExtractor;
  /** Real images, or their statistics (FID only), as `evaluateImages` takes them. */
  readonly reference?: ImageSource | ReferenceStatistics;
  /** Default ['fid']. */
  readonly metrics?: readonly ImageMetric[];
  /** Generated images per scoring. Default 10,000. */
  readonly samples?: number;
  /** Seed of the latents (the same images at every scoring of a run). Default 0. */
  readonly seed?: number;
}

/**
 * Scores the EMA generator (else G) every `every` steps with `evaluateImages` and adds the
 * results to the step's logs by protocol name (`fid10k-mnist-cnn`: 10,000 samples by default),
 * for the callbacks after it (put it before `jsonlLog`) and the run's result.
 */
export function metrics(options: MetricsCallbackOptions): TrainCallback {
  const { every, extractor, reference, metrics: names = ['fid'], samples = 10_000, seed = 0 } = options ?? ({} as MetricsCallbackOptions);
  if (!Number.isInteger(every) || every < 1) throw new InvalidArgumentError(`metrics: every must be a positive integer, got ${every}`);
  if (typeof extractor?.features !== 'function') throw new InvalidArgumentError('metrics: extractor must be a FeatureExtractor (e.g. loadExtractor from @dgm/metrics/node)');
  if (!Number.isInteger(samples) || samples < 2) throw new InvalidArgumentError(`metrics: samples must be an integer ≥ 2, got ${samples}`);
  if (!Array.isArray(names) || names.length === 0) throw new InvalidArgumentError('metrics: metrics must be a non-empty list, e.g. [\'fid\']');
  return {
    async onBatchEnd(step, _logs, context) {
      if (step % every !== 0) return undefined;
      const generated = ganSampler({ gan: context.gan, generator: context.ema ?? context.gan.generator, count: samples, seed });
      const results = await evaluateImages({ extractor, generated, metrics: names, ...(reference === undefined ? {} : { reference }) });
      return Object.fromEntries(results.map((r) => [r.name, r.value]));
    },
  };
}
