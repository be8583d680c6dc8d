import * as z from 'zod';
import { createRandom, InvalidArgumentError, parseOptions } from '@dgm/core';
import { subset, type Dataset } from './dataset.js';
import { datasetSchema, positiveInt } from './options.js';

const schema = z.strictObject({ dataset: datasetSchema, perClass: positiveInt, seed: z.int().min(0).optional() });

export interface TakePerClassOptions {
  readonly dataset: Dataset;
  /** Images kept of every class. */
  readonly perClass: number;
  /** Which ones: a seeded choice. Default 0. */
  readonly seed?: number;
}

/**
 * A labeled subset with exactly `perClass` images of each class (e.g. the 100 labels of
 * semi-supervised MNIST), chosen with a seeded shuffle and returned in shuffled order.
 */
export function takePerClass(options: TakePerClassOptions): Dataset {
  const { dataset, perClass, seed = 0 } = parseOptions(schema, options, 'takePerClass');
  if (dataset.labels === undefined) throw new InvalidArgumentError('takePerClass: the dataset must have labels');
  const random = createRandom({ seed });
  const taken = dataset.classNames.map(() => 0);
  const chosen: number[] = [];
  for (const i of random.permutation(dataset.count)) {
    const label = dataset.labels[i]!;
    if (taken[label]! < perClass) {
      taken[label]!++;
      chosen.push(i);
    }
  }
  const short = taken.findIndex((n) => n < perClass);
  if (short >= 0) {
    throw new InvalidArgumentError(`takePerClass: class ${dataset.classNames[short]} has ${taken[short]} images, fewer than perClass = ${perClass}`);
  }
  return subset(dataset, chosen, `${dataset.split}-${perClass}-per-class`);
}
