import { createRandom, InvalidArgumentError, type Random } from '@dgm/core';
import type { SweepSpec } from './sweep-spec.js';

/** One trial: its id (which names its run folder), the searched values, and its whole train config. */
export interface Trial {
  readonly id: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly config: Readonly<Record<string, unknown>>;
}

type Value = string | number | boolean;
type Dimension = SweepSpec['space'][string];

/**
 * The trials of a sweep, in a fixed order: a grid's combinations (the last setting varying
 * fastest), or `trials` seeded random draws; at most `maxTrials`. The same spec always gives
 * the same trials, so that restarting a sweep enqueues the same ids.
 */
export function expandTrials(spec: SweepSpec): Trial[] {
  const paths = Object.keys(spec.space);
  const points = spec.search.kind === 'grid' ? gridPoints(paths.map((p) => spec.space[p]!)) : randomPoints(paths.map((p) => spec.space[p]!), spec.search.trials, spec.search.seed);
  const width = String(Math.min(points.length, spec.maxTrials) - 1).length;
  return points.slice(0, spec.maxTrials).map((values, i) => {
    const params = Object.fromEntries(paths.map((path, j) => [path, values[j]!]));
    return { id: `${spec.name}-t${String(i).padStart(Math.max(3, width), '0')}`, params, config: withSettings(spec.train, params) };
  });
}

function gridPoints(dimensions: readonly Dimension[]): Value[][] {
  return dimensions.reduce<Value[][]>((points, dimension) => points.flatMap((point) => ('values' in dimension ? dimension.values : []).map((v) => [...point, v])), [[]]);
}

function randomPoints(dimensions: readonly Dimension[], count: number, seed: number): Value[][] {
  const random = createRandom({ seed });
  return Array.from({ length: count }, () => dimensions.map((dimension) => draw(dimension, random)));
}

function draw(dimension: Dimension, random: Random): Value {
  if ('values' in dimension) return dimension.values[random.int(dimension.values.length)]!;
  const { min, max, log, integer } = dimension;
  const u = random.float();
  const x = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
  return integer ? Math.min(Math.floor(x), Math.floor(max)) : x;
}

/** Keys that would reach an object's prototype instead of setting a value. */
const unsafeKeys = ['__proto__', 'constructor', 'prototype'];

/** A copy of `config` with each dotted path set to its value (an InvalidArgumentError for an empty or prototype key). */
export function withSettings(config: Readonly<Record<string, unknown>>, settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result = structuredClone(config) as Record<string, unknown>;
  for (const [path, value] of Object.entries(settings)) {
    const keys = path.split('.');
    if (keys.some((key) => key === '' || unsafeKeys.includes(key))) throw new InvalidArgumentError(`bad setting path ${JSON.stringify(path)}`);
    let target = result;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      target = (target[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
    }
    target[keys.at(-1)!] = value;
  }
  return result;
}
