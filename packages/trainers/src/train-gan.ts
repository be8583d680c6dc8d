import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import { traitsOf, type Gan } from '@dgm/models';
import type { TrainContext } from './callbacks.js';
import { GanStep } from './gan-step.js';
import { resolveRecipe, type GanRecipe } from './recipe.js';
import { checkRunOptions } from './run-options.js';
import { runLoop, type LoopResult, type RunOptions } from './train-loop.js';

export interface TrainGanOptions extends Partial<GanRecipe>, RunOptions<TrainContext> {
  readonly gan: Gan;
  /** Training images (with labels for conditional GANs and AC-GAN). */
  readonly data: Dataset;
  /** Semi-supervised GAN: the labeled subset (e.g. `takePerClass`). */
  readonly labeled?: Dataset;
  /** EMA of G's weights. Default { decay: 0.999 }; false turns it off. */
  readonly ema?: false | { readonly decay: number };
}

export interface TrainGanResult extends LoopResult {
  /** The EMA generator (owned by the caller), if on. */
  readonly ema: tfl.LayersModel | undefined;
  /** The trained GAN (the same models); its spec names the data's classes, so that `generate` takes class names. */
  readonly gan: Gan;
}

/** The checkpoint format of trainGan. */
export const ganCheckpointFormat = 'dgm-gan-run/1';

const recipeKeys = ['loss', 'regularizers', 'optimizers', 'phases', 'batchSize', 'labelSmoothing', 'classLossWeight', 'discriminatorClassLoss', 'mismatchedLabels', 'featureMatching', 'augment'] as const;

/**
 * Trains a GAN from @dgm/models on a dataset from @dgm/data with its family's recipe (every
 * field overridable). Each step runs the recipe's phases (D updates, then G), calls the
 * callbacks with a record of numbers, and can be checkpointed and resumed exactly.
 */
export async function trainGan(options: TrainGanOptions): Promise<TrainGanResult> {
  checkInputs(options);
  const { gan, data, labeled } = options;
  const overrides = Object.fromEntries(recipeKeys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])) as Partial<GanRecipe>;
  const recipe = resolveRecipe(gan.spec.family, overrides);
  const emaDecay = options.ema === false ? undefined : (options.ema?.decay ?? 0.999);
  const classNames = trainingClassNames(options);
  const step = new GanStep(gan, recipe, emaDecay, classNames);
  // The same models, with a spec that names the data's classes (for callbacks and the result).
  const named: Gan = classNames === undefined ? gan : { ...gan, spec: { ...gan.spec, classNames } };
  try {
    const result = await runLoop({
      ...options,
      caller: 'trainGan',
      format: ganCheckpointFormat,
      step,
      streams: [
        ['data', { dataset: data, labels: traitsOf(gan.spec).trainsOnLabels }],
        ['labeled', labeled === undefined ? undefined : { dataset: labeled, labels: true }],
      ],
      batchSize: recipe.batchSize,
      context: (base) => ({ ...base, gan: named, ema: step.ema?.model }),
    });
    return { ...result, ema: step.ema?.model, gan: named };
  } finally {
    step.dispose();
  }
}

/** The names of the classes the GAN learns, from its labeled data, when they cover all of them. */
function trainingClassNames({ gan, data, labeled }: TrainGanOptions): readonly string[] | undefined {
  const named = traitsOf(gan.spec).trainsOnLabeledSubset ? labeled : data;
  return named?.labels !== undefined && named.classNames.length === gan.spec.numClasses ? named.classNames : undefined;
}

function checkInputs(options: TrainGanOptions): void {
  const { gan, data, labeled } = options ?? ({} as TrainGanOptions);
  if (gan?.generator === undefined || gan.discriminator === undefined || gan.spec === undefined) {
    throw new InvalidArgumentError('trainGan: gan must be { generator, discriminator, spec } from @dgm/models');
  }
  if (data === undefined || !Number.isInteger(data.count)) throw new InvalidArgumentError('trainGan: data must be a Dataset from @dgm/data');
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
}
