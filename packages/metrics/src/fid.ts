import { InvalidArgumentError } from '@dgm/core';
import { checkFeatures, type FeatureMatrix } from './features.js';
import { frechetDistance, frechetDistanceFromFeatures } from './frechet-distance.js';
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
 * route is used. Agrees with the numpy/scipy reference to 1e-6 relative or better.
 */
export async function computeFid({ generated, real }: { generated: FeaturesOrStatistics; real: FeaturesOrStatistics }): Promise<FidResult> {
  const [a, b] = [await statisticsOf(generated, 'generated'), await statisticsOf(real, 'real')];
  if (a.dim !== b.dim) throw new InvalidArgumentError(`computeFid: generated features have ${a.dim} dimensions, real ones ${b.dim}`);
  const fewSamples = a.count <= a.dim || b.count <= b.dim;
  const result =
    fewSamples && 'values' in generated && 'values' in real ? await frechetDistanceFromFeatures(generated, real, [a, b]) : await frechetDistance(a, b);
  return { value: result.value, counts: [a.count, b.count], dim: a.dim, warnings: result.warnings };
}

async function statisticsOf(input: FeaturesOrStatistics, name: string): Promise<FeatureStatistics> {
  if (input !== null && typeof input === 'object' && 'covariance' in input) {
    const { mean, covariance, dim } = input;
    if (mean?.length !== dim || covariance?.length !== dim * dim) throw new InvalidArgumentError(`computeFid: ${name} statistics are not dim = ${dim} consistent`);
    if (![...mean, ...covariance].every(Number.isFinite)) throw new InvalidArgumentError(`computeFid: ${name} statistics are not finite`);
    return input;
  }
  checkFeatures(input as FeatureMatrix, name, 'computeFid');
  if ((input as FeatureMatrix).count < 2) throw new InvalidArgumentError(`computeFid: ${name} needs at least 2 samples`);
  return featureStatistics(input as FeatureMatrix);
}
