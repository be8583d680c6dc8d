import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import { checkFeatures, type FeatureMatrix } from './features.js';
import { featureMatrixType } from './options.js';

export interface AccuracyResult {
  readonly accuracy: number;
  /** Accuracy per true class (NaN for a class without samples). */
  readonly perClass: readonly number[];
  readonly count: number;
}

const labelsType = z.custom<ArrayLike<number>>((v) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)), {
  error: 'expected integer labels (an array or a typed array)',
});

/** Top-1 accuracy of class scores (probabilities or logits, argmax) against integer labels, overall and per class. */
export function accuracy(options: { scores: FeatureMatrix; labels: ArrayLike<number> }): AccuracyResult {
  const { scores, labels } = parseOptions(z.strictObject({ scores: featureMatrixType, labels: labelsType }), options, 'accuracy') as typeof options;
  checkFeatures(scores, 'scores', 'accuracy');
  const { values, count, dim: k } = scores;
  if (labels?.length !== count) throw new InvalidArgumentError(`accuracy: ${count} rows of scores but ${labels?.length} labels`);
  const correct = new Array<number>(k).fill(0);
  const total = new Array<number>(k).fill(0);
  for (let i = 0; i < count; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= k) throw new InvalidArgumentError(`accuracy: label ${y} at index ${i} is outside [0, ${k})`);
    let best = 0;
    for (let c = 1; c < k; c++) if (values[i * k + c]! > values[i * k + best]!) best = c;
    total[y]!++;
    if (best === y) correct[y]!++;
  }
  return { accuracy: correct.reduce((a, b) => a + b, 0) / count, perClass: total.map((t, c) => (t === 0 ? Number.NaN : correct[c]! / t)), count };
}
