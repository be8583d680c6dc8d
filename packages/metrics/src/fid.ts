import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import { checkStatistics } from './check-statistics.js';
import { checkFeatures, type FeatureMatrix } from './features.js';
import { frechetDistanceFromFeatures, frechetDistanceOf } from './frechet-distance.js';

import { featureStatistics, type FeatureStatistics } from './statistics.js';

/** Either features or their precomputed statistics (e.g. a saved reference). */
export type FeaturesOrStatistics = FeatureMatrix | FeatureStatistics;

export interface FidResult {
  readonly value: number;
  readonly counts: readonly [number, number];
  readonly dim: number;
  readonly warnings: readonly string[];
}

/**
 * FID (Heusel et al. 2017): the Fréchet distance between Gaussians fitted to the features
 * of generated and real images (mean, covariance with ddof 1, as pytorch-fid). With fewer
 * samples than features on either side (and both given as features) the exact nuclear-norm
 * route is used. Agrees with the numpy/scipy reference to 1e-6 relative or better. Given
 * statistics are checked first (`checkStatistics`); bad ones are an InvalidArgumentError.
 */
export async function computeFid(options: { generated: FeaturesOrStatistics; real: FeaturesOrStatistics }): Promise<FidResult> {
  const { generated, real } = parseOptions(z.strictObject({ generated: featuresOrStatistics, real: featuresOrStatistics }), options, 'computeFid') as typeof options;
  const [a, b] = [await statisticsOf(generated, 'generated'), await statisticsOf(real, 'real')];
  if (a.dim !== b.dim) throw new InvalidArgumentError(`computeFid: generated features have ${a.dim} dimensions, real ones ${b.dim}`);
  const fewSamples = a.count <= a.dim || b.count <= b.dim;
  const result =
    fewSamples && 'values' in generated && 'values' in real ? await frechetDistanceFromFeatures(generated, real, [a, b]) : await frechetDistanceOf(a, b);
  return { value: result.value, counts: [a.count, b.count], dim: a.dim, warnings: result.warnings };
}

const featuresOrStatistics = z.custom<object>((v) => typeof v === 'object' && v !== null && ('values' in v || 'covariance' in v), {
  error: 'expected features { values, count, dim } or statistics { mean, covariance, count, dim }',
});

async function statisticsOf(input: FeaturesOrStatistics, name: string): Promise<FeatureStatistics> {
  if ('covariance' in input) return checkStatistics(input, name, 'computeFid');
  checkFeatures(input, name, 'computeFid');
  if (input.count < 2) throw new InvalidArgumentError(`computeFid: ${name} needs at least 2 samples`);
  return featureStatistics(input);
}
