import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';

const positiveInt = z.int().min(1);
const value = z.union([z.number(), z.string(), z.boolean()]);

/** One searched setting: a list of values (grid or random), or a range drawn at random (log-uniform with `log`; integers with `integer`). */
const dimension = z.union([
  z.strictObject({ values: z.array(value).min(1) }),
  z.strictObject({ min: z.number(), max: z.number(), log: z.boolean().default(false), integer: z.boolean().default(false) }),
]);

const earlyStopping = z.discriminatedUnion('rule', [
  /** Stops a trial whose best value so far is worse than the median of the other trials' at the same step (Golovin et al. 2017). */
  z.strictObject({ rule: z.literal('median'), minSteps: positiveInt, minTrials: positiveInt.default(3) }),
  /** Asynchronous successive halving (Li et al. 2020): at each rung step, a trial goes on only if it is in the best 1/eta of the trials that reached it. */
  z.strictObject({ rule: z.literal('halving'), rungs: z.array(positiveInt).min(1), eta: z.number().gt(1).default(2) }),
]);

/** A sweep: many `dgm train` runs of one base config, over a search space. */
export const sweepSpecSchema = z.strictObject({
  /** Names the sweep and its trials (`NAME-t003`); letters, digits, '-' and '_'. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: "expected a name of letters, digits, '-' and '_' (up to 64)" }),
  /** The base `dgm train` config every trial starts from (model, data, steps, metricsEvery, recipe, …). */
  train: z.record(z.string(), z.unknown()),
  /** Settings searched, by their dotted path in the train config (`recipe.optimizers.generator.learningRate`, `seed`). */
  space: z.record(z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, { error: 'expected a dotted path of config keys' }), dimension),
  search: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('grid') }), z.strictObject({ kind: z.literal('random'), trials: positiveInt, seed: z.int().min(0).default(0) })]).default({ kind: 'grid' }),
  /** The logged metric to optimize (e.g. fid2k-mnist-cnn, scored by the train config's metricsEvery) and its goal. */
  metric: z.strictObject({ name: z.string().min(1), goal: z.enum(['minimize', 'maximize']) }),
  /** At most this many trials (grid: the first ones). */
  maxTrials: positiveInt.default(100),
  earlyStopping: earlyStopping.optional(),
  /** Retries of a failing trial before it is marked failed, with exponential backoff from `backoffMs`. */
  retries: z.int().min(0).default(2),
  backoffMs: positiveInt.default(1000),
});

export type SweepSpec = z.output<typeof sweepSpecSchema>;
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
export type EarlyStopping = NonNullable<SweepSpec['earlyStopping']>;

/** Checks a sweep spec (an InvalidArgumentError names the field) and how its parts go together. */
export function parseSweepSpec(value: unknown): SweepSpec {
  const spec = parseOptions(sweepSpecSchema, value, 'sweep');
  for (const [path, range] of Object.entries(spec.space)) {
    if ('min' in range && !(range.min < range.max)) throw new InvalidArgumentError(`sweep: space.${path}: expected min < max, got ${range.min} and ${range.max}`);
    if ('min' in range && range.log && range.min <= 0) throw new InvalidArgumentError(`sweep: space.${path}: a log range needs min > 0, got ${range.min}`);
    if ('min' in range && spec.search.kind === 'grid') throw new InvalidArgumentError(`sweep: space.${path}: a range needs search: { kind: random, trials: N }; a grid takes values`);
  }
  const every = spec.train['metricsEvery'];
  if (typeof every !== 'number') throw new InvalidArgumentError(`sweep: train.metricsEvery: expected the steps between scorings of ${spec.metric.name} (the metric trials report), got ${JSON.stringify(every)}`);
  const steps = spec.train['steps'];
  if (typeof steps !== 'number' || steps % every !== 0) throw new InvalidArgumentError(`sweep: train.steps: expected a multiple of metricsEvery (${every}), so that every trial is scored at its last step, got ${JSON.stringify(steps)}`);
  return spec;
}
