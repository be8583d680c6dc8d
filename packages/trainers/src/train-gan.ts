import type * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { describeValue, InvalidArgumentError, parseOptions, ShapeMismatchError } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import { traitsOf, type Gan } from '@dgm/models';
import type { TrainContext } from './callbacks.js';
import { GanStep } from './gan-step.js';
import { dataset, modelsWith, recipeShape, runOptionsShape } from './option-schemas.js';
import { defaultRecipes, resolveRecipe, type GanRecipe, type GanRecipeOverrides } from './recipe.js';
import { checkBatchSize, checkRunOptions, prepareStore } from './run-options.js';
import { runLoop, type LoopResult, type RunOptions } from './train-loop.js';

export interface TrainGanOptions extends GanRecipeOverrides, RunOptions<TrainContext> {
  readonly gan: Gan;
  /** Training images (with labels for conditional GANs and AC-GAN). */
  readonly data: Dataset;
  /** Semi-supervised GAN: the labeled subset (e.g. `takePerClass`). */
  readonly labeled?: Dataset;
  /** EMA of G's weights. Default { decay: 0.999 }; false turns it off. */
  readonly ema?: false | { readonly decay: number };
  /**
   * An exponential moving average of D's weights (Polyak averaging), e.g. { decay: 0.999 } to
   * classify with a semi-supervised or AC-GAN D steadier than its latest weights
   * (`discriminatorClassifier` of @dgm/models takes it). Default off.
   */
  readonly discriminatorEma?: { readonly decay: number };
}

export interface TrainGanResult extends LoopResult {
  /** The EMA generator (owned by the caller), if on. */
  readonly ema: tfl.LayersModel | undefined;
  /** The averaged D (owned by the caller), if `discriminatorEma` was given. */
  readonly discriminatorEma: tfl.LayersModel | undefined;
  /** The trained GAN (the same models); its spec names the data's classes, so that `generate` takes class names. */
  readonly gan: Gan;
}

/** The checkpoint format of trainGan. */
export const ganCheckpointFormat = 'dgm-gan-run/1';

const recipeKeys = ['loss', 'regularizers', 'optimizers', 'phases', 'batchSize', 'labelSmoothing', 'classLossWeight', 'discriminatorClassLoss', 'mismatchedLabels', 'featureMatching', 'unlabeledWeight', 'weightNormInit', 'augment'] as const;

const ganShape = modelsWith<Gan>(['generator', 'discriminator'], 'expected { generator, discriminator, spec } from @dgm/models');

const decay = z.strictObject({ decay: z.number().gt(0).lt(1) }, { error: 'expected { decay: a number in (0, 1) }' });

/** trainGan's options: each field checked, unknown ones refused. */
const trainGanSchema = z.strictObject({
  gan: ganShape,
  data: dataset,
  labeled: dataset.optional(),
  ema: z.union([z.literal(false), decay], { error: 'expected false or { decay: a number in (0, 1) }' }).optional(),
  discriminatorEma: decay.optional(),
  ...recipeShape,
  ...runOptionsShape,
});

/**
 * Trains a GAN from @dgm/models on a dataset from @dgm/data with its family's recipe (every
 * field overridable). Each step runs the recipe's phases (D updates, then G), calls the
 * callbacks with a record of numbers, and can be checkpointed and resumed exactly. Every
 * option is checked, and the store's folder prepared, before anything is built; a failing
 * call leaves no tensors behind.
 */
export async function trainGan(options: TrainGanOptions): Promise<TrainGanResult> {
  const recipe = checkInputs(options);
  const { gan, data, labeled } = options;
  await prepareStore(options.store, 'trainGan');
  const emaDecay = options.ema === false ? undefined : (options.ema?.decay ?? 0.999);
  const classNames = trainingClassNames(options);
  // The same models, with a spec that names the data's classes (for callbacks and the result).
  const named: Gan = classNames === undefined ? gan : { ...gan, spec: { ...gan.spec, classNames } };
  let step: GanStep | undefined;
  try {
    step = new GanStep(gan, recipe, { generator: emaDecay, discriminator: options.discriminatorEma?.decay }, classNames);
    const built = step;
    const result = await runLoop({
      ...options,
      caller: 'trainGan',
      format: ganCheckpointFormat,
      step: built,
      streams: [
        ['data', { dataset: data, labels: traitsOf(gan.spec).trainsOnLabels }],
        ['labeled', labeled === undefined ? undefined : { dataset: labeled, labels: true }],
      ],
      batchSize: recipe.batchSize,
      context: (base) => ({ ...base, gan: named, ema: built.ema?.model, discriminatorEma: built.discriminatorEma?.model }),
    });
    return { ...result, ema: built.ema?.model, discriminatorEma: built.discriminatorEma?.model, gan: named };
  } catch (error) {
    // The averaged models are the caller's only on success.
    step?.ema?.dispose();
    step?.discriminatorEma?.dispose();
    throw error;
  } finally {
    step?.dispose();
  }
}

/** The names of the classes the GAN learns, from its labeled data, when they cover all of them. */
function trainingClassNames({ gan, data, labeled }: TrainGanOptions): readonly string[] | undefined {
  const named = traitsOf(gan.spec).trainsOnLabeledSubset ? labeled : data;
  return named?.labels !== undefined && named.classNames.length === gan.spec.numClasses ? named.classNames : undefined;
}

/** Checks every option (see trainGanSchema) and the data against the GAN; returns the recipe. */
function checkInputs(options: TrainGanOptions): GanRecipe {
  parseOptions(trainGanSchema, options, 'trainGan');
  const { gan, data, labeled } = options;
  if (gan.spec.imageShape === undefined || !Object.hasOwn(defaultRecipes, gan.spec.family)) {
    throw new InvalidArgumentError(`trainGan: gan: expected { generator, discriminator, spec } from @dgm/models, got a spec of family ${describeValue(gan.spec.family)}`);
  }
  if (JSON.stringify(data.shape) !== JSON.stringify(gan.spec.imageShape)) {
    throw new ShapeMismatchError(`trainGan: the data's images are ${data.shape.join('×')}, the GAN's ${gan.spec.imageShape.join('×')}`);
  }
  const traits = traitsOf(gan.spec);
  if (traits.trainsOnLabels && (data.labels === undefined || data.classNames.length > (gan.spec.numClasses ?? 0))) {
    throw new InvalidArgumentError(`trainGan: ${gan.spec.name} needs labeled data with at most ${gan.spec.numClasses} classes`);
  }
  const named = gan.spec.classNames;
  if (named !== undefined && data.labels !== undefined && JSON.stringify(named) !== JSON.stringify(data.classNames)) {
    throw new InvalidArgumentError(`trainGan: the GAN's classes are ${JSON.stringify(named)}, the data's ${JSON.stringify(data.classNames)}`);
  }
  if (traits.trainsOnLabeledSubset && (labeled?.labels === undefined || JSON.stringify(labeled.shape) !== JSON.stringify(gan.spec.imageShape))) {
    throw new InvalidArgumentError(`trainGan: a semi-supervised GAN needs labeled: a labeled Dataset of ${gan.spec.imageShape.join('×')} images (e.g. takePerClass)`);
  }
  checkRunOptions(options, 'trainGan');
  checkBatchSize(options.batchSize, data, 'trainGan');
  const overrides = Object.fromEntries(recipeKeys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])) as GanRecipeOverrides;
  return resolveRecipe(gan.spec.family, overrides, 'trainGan');
}
