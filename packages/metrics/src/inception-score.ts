import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import { checkFeatures, type FeatureMatrix } from './features.js';
import { featureMatrixType, finite } from './options.js';

export interface InceptionScoreResult {
  readonly mean: number;
  readonly std: number;
  readonly splits: number;
}

/**
 * Inception Score (Salimans et al. 2016) as openai/improved-gan computes it: the images'
 * class probabilities p(y|x) are cut into `splits` consecutive parts; per part
 * exp(E_x KL(p(y|x) ‖ p(y))), with p(y) the part's mean and 0·log 0 = 0; mean and
 * population std over parts.
 */
export function computeInceptionScore(options: { probabilities: FeatureMatrix; splits?: number }): InceptionScoreResult {
  const { probabilities, splits = 10 } = parseOptions(
    z.strictObject({ probabilities: featureMatrixType, splits: finite.optional() }),
    options,
    'computeInceptionScore',
  ) as typeof options;
  checkFeatures(probabilities, 'probabilities', 'computeInceptionScore');
  const { values: p, count: n, dim: k } = probabilities;
  if (!Number.isInteger(splits) || splits < 1 || splits > n) throw new InvalidArgumentError(`computeInceptionScore: splits must be an integer in [1, ${n}], got ${splits}`);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      if (p[i * k + c]! < 0) throw new InvalidArgumentError(`computeInceptionScore: row ${i} has a negative probability`);
      sum += p[i * k + c]!;
    }
    if (Math.abs(sum - 1) > 1e-3) throw new InvalidArgumentError(`computeInceptionScore: row ${i} sums to ${sum}, not 1 (pass probabilities, not logits)`);
  }
  const scores: number[] = [];
  for (let s = 0; s < splits; s++) {
    const [from, to] = [Math.floor((s * n) / splits), Math.floor(((s + 1) * n) / splits)];
    const marginal = new Float64Array(k);
    for (let i = from; i < to; i++) for (let c = 0; c < k; c++) marginal[c]! += p[i * k + c]!;
    for (let c = 0; c < k; c++) marginal[c]! /= to - from;
    let kl = 0;
    for (let i = from; i < to; i++) {
      for (let c = 0; c < k; c++) {
        const pic = p[i * k + c]!;
        if (pic > 0) kl += pic * (Math.log(pic) - Math.log(marginal[c]!));
      }
    }
    scores.push(Math.exp(kl / (to - from)));
  }
  const mean = scores.reduce((a, b) => a + b, 0) / splits;
  return { mean, std: Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / splits), splits };
}
