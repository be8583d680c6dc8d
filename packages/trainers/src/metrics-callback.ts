import * as z from 'zod';
import { parseOptions } from '@dgm/core';
import { evaluateImages, ganSampler, vaeSampler, type FeatureExtractor, type ImageMetric, type ImageSource, type ReferenceStatistics } from '@dgm/metrics';
import type { TrainCallback, TrainContext, VaeContext } from './callbacks.js';
import { positiveInt, seed, withMethods } from './option-schemas.js';

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

const schema = z.strictObject({
  every: positiveInt,
  extractor: withMethods(['features'], 'expected a FeatureExtractor (e.g. loadExtractor from @dgm/metrics/node)'),
  // Images or statistics: evaluateImages checks which, at the first scoring.
  reference: z.custom((v) => typeof v === 'object' && v !== null, { error: 'expected images (an ImageSource) or ReferenceStatistics' }).optional(),
  metrics: z.array(z.enum(['fid', 'kid', 'inception-score', 'precision-recall'])).min(1, { error: "expected a non-empty list, e.g. ['fid']" }).optional(),
  samples: z.int().min(2).optional(),
  seed: seed.optional(),
});

/**
 * Scores the EMA generator (else G; a VAE's decoder under `trainVae`) every `every` steps with `evaluateImages` and adds the
 * results to the step's logs by protocol name (`fid10k-mnist-cnn`: 10,000 samples by default),
 * for the callbacks after it (put it before `jsonlLog`) and the run's result.
 */
export function metrics(options: MetricsCallbackOptions): TrainCallback<TrainContext | VaeContext> {
  parseOptions(schema, options, 'metrics');
  const { every, extractor, reference, metrics: names = ['fid'], samples = 10_000, seed: latentSeed = 0 } = options;
  return {
    async onBatchEnd(step, _logs, context) {
      if (step % every !== 0) return undefined;
      const generated =
        'vae' in context
          ? vaeSampler({ vae: context.vae, count: samples, seed: latentSeed })
          : ganSampler({ gan: context.gan, generator: context.ema ?? context.gan.generator, count: samples, seed: latentSeed });
      const results = await evaluateImages({ extractor, generated, metrics: names, ...(reference === undefined ? {} : { reference }) });
      return Object.fromEntries(results.map((r) => [r.name, r.value]));
    },
  };
}
