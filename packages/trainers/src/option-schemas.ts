import * as z from 'zod';

/**
 * The schemas of the trainers' public options, checked with `parseOptions` from @dgm/core
 * before anything is built: types, ranges, integer-ness, finiteness (zod's numbers refuse NaN
 * and ±Infinity), known enum values, and no unknown keys (strict objects), so that a typo
 * such as `learningrate` or `epoch` is an error rather than a default. Objects the trainers
 * call into (models, datasets, stores, callbacks, signals) are checked by shape and used as
 * given, never copied.
 */

/** An object with these methods (a class instance included), used as given. */
export const withMethods = <T>(methods: readonly string[], error: string) =>
  z.custom<T>((v) => typeof v === 'object' && v !== null && methods.every((m) => typeof (v as Record<string, unknown>)[m] === 'function'), { error });

/** A family's models and spec from @dgm/models (e.g. { generator, discriminator, spec }), by shape, used as given. */
export const modelsWith = <T>(parts: readonly string[], error: string) =>
  z.custom<T>((v) => typeof v === 'object' && v !== null && [...parts, 'spec'].every((k) => typeof (v as Record<string, unknown>)[k] === 'object' && (v as Record<string, unknown>)[k] !== null), { error });

export const aFunction = <T>(error = 'expected a function') => z.custom<T>((v) => typeof v === 'function', { error });

export const positiveInt = z.int().min(1);
export const nonNegativeInt = z.int().min(0);
/** Integers up to 2³² − 1, as `createRandom` takes seeds. */
export const seed = z.int().min(0).max(2 ** 32 - 1);

/** A dataset of @dgm/data (by shape: a count and an image shape). */
export const dataset = z.custom((v) => typeof v === 'object' && v !== null && Number.isInteger((v as { count?: unknown }).count) && Array.isArray((v as { shape?: unknown }).shape), {
  error: 'expected a Dataset from @dgm/data',
});

const hooks = ['onTrainBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;
/** A training callback: an object whose hooks, where present, are functions. */
export const callback = z.custom(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && hooks.every((h) => (v as Record<string, unknown>)[h] === undefined || typeof (v as Record<string, unknown>)[h] === 'function'),
  { error: `expected a callback: an object with hooks ${hooks.join(', ')} (functions)` },
);

export const checkpointStore = withMethods(['write', 'latest'], 'expected a CheckpointStore (memoryStore(), indexedDbStore(), or fileSystemStore from the /node entry)');

export const abortSignal = z.custom(
  (v) => typeof v === 'object' && v !== null && typeof (v as { aborted?: unknown }).aborted === 'boolean' && typeof (v as { addEventListener?: unknown }).addEventListener === 'function',
  { error: 'expected an AbortSignal' },
);

/** The options every trainer shares (RunOptions). */
export const runOptionsShape = {
  steps: nonNegativeInt.optional(),
  epochs: z.number().positive().optional(),
  seed: seed.optional(),
  callbacks: z.array(callback).optional(),
  signal: abortSignal.optional(),
  minutes: z.number().positive().optional(),
  store: checkpointStore.optional(),
  resume: z.boolean().optional(),
  onNonFinite: z
    .union([z.literal('stop'), z.strictObject({ rollback: z.strictObject({ learningRateFactor: z.number().positive().max(1).optional(), maxRollbacks: nonNegativeInt.optional() }) })], {
      error: "expected 'stop' or { rollback: { learningRateFactor?: a number in (0, 1], maxRollbacks?: an integer ≥ 0 } }",
    })
    .optional(),
  debug: z.boolean().optional(),
};

/** Adam's settings, each optional (merged over a default). */
export const adamOverrides = z.strictObject({
  learningRate: z.number().positive().optional(),
  beta1: z.number().min(0).lt(1).optional(),
  beta2: z.number().min(0).lt(1).optional(),
  epsilon: z.number().positive().optional(),
});

/** The fields of a GAN recipe that `trainGan` and `resolveRecipe` take as overrides. */
export const recipeShape = {
  loss: z.enum(['minimax', 'non-saturating', 'least-squares', 'hinge', 'wasserstein']).optional(),
  regularizers: z
    .strictObject({
      gradientPenalty: z.strictObject({ weight: z.number().min(0) }).optional(),
      r1: z.strictObject({ weight: z.number().min(0), every: positiveInt.optional() }).optional(),
    })
    .optional(),
  optimizers: z.strictObject({ generator: adamOverrides.optional(), discriminator: adamOverrides.optional() }).optional(),
  phases: z
    .array(z.strictObject({ side: z.enum(['discriminator', 'generator']), repeat: positiveInt.optional(), every: positiveInt.optional() }))
    .min(1, { error: "expected a non-empty list of { side: 'discriminator' | 'generator', repeat?: an integer ≥ 1, every?: an integer ≥ 1 }" })
    .optional(),
  batchSize: positiveInt.optional(),
  labelSmoothing: z.number().min(0).lt(1).optional(),
  classLossWeight: z.number().min(0).optional(),
  discriminatorClassLoss: z.enum(['real', 'real-and-fake']).optional(),
  mismatchedLabels: z.boolean().optional(),
  featureMatching: z.boolean().optional(),
  unlabeledWeight: z.number().min(0).optional(),
  weightNormInit: z.boolean().optional(),
  augment: z.array(z.enum(['color', 'translation', 'cutout'])).optional(),
};

export const recipeOverrides = z.strictObject(recipeShape);
