import * as z from 'zod';
import { describeValue, InvalidArgumentError, parseOptions, ShapeMismatchError } from '@dgm/core';
import { binarize as binarizeOnce, type Dataset } from '@dgm/data';
import { familiesOf, traitsOf, type Vae } from '@dgm/models';
import type { VaeContext } from './callbacks.js';
import { adamOverrides, dataset, modelsWith, nonNegativeInt, positiveInt, runOptionsShape } from './option-schemas.js';
import type { AdamSettings } from './recipe.js';
import { checkBatchSize, checkRunOptions, prepareStore } from './run-options.js';
import { runLoop, type LoopResult, type RunOptions } from './train-loop.js';
import { VaeStep, type Binarize } from './vae-step.js';

export interface TrainVaeOptions extends RunOptions<VaeContext> {
  /** A VAE or CVAE from @dgm/models (`createVae`, `createCvae`). */
  readonly vae: Vae;
  /** Training images (labeled, for a CVAE). */
  readonly data: Dataset;
  /** Default 128, clamped to the data's size; a batchSize asked for that is larger than the data is an error. */
  readonly batchSize?: number;
  /** Weight of the KL term (β-VAE). Default 1 (the ELBO). */
  readonly beta?: number;
  /** Steps over which the KL weight rises linearly to β. Default 0 (none). */
  readonly klWarmup?: number;
  /**
   * Bernoulli decoder: 'dynamic' draws binary pixels from each image's intensities at every
   * step; 'static' draws them once, from `seed`, before training; 'none' (default) scores the
   * intensities in [0, 1]. A Gaussian decoder takes 'none' only.
   */
  readonly binarize?: Binarize;
  /** Adam over encoder and decoder; default learning rate 1e-3, β = (0.9, 0.999). */
  readonly optimizer?: Partial<AdamSettings>;
}

export interface TrainVaeResult extends LoopResult {
  /** The trained VAE (the same models); its spec names the data's classes, so that `generateVae` takes class names. */
  readonly vae: Vae;
}

/** The checkpoint format of trainVae. */
export const vaeCheckpointFormat = 'dgm-vae-run/1';

const vaeShape = modelsWith<Vae>(['encoder', 'decoder'], 'expected { encoder, decoder, spec } from @dgm/models (createVae, createCvae)');

/** trainVae's options: each field checked, unknown ones refused. */
const trainVaeSchema = z.strictObject({
  vae: vaeShape,
  data: dataset,
  batchSize: positiveInt.optional(),
  beta: z.number().min(0).optional(),
  klWarmup: nonNegativeInt.optional(),
  binarize: z.enum(['dynamic', 'static', 'none']).optional(),
  optimizer: adamOverrides.optional(),
  ...runOptionsShape,
});

/**
 * Trains a VAE or CVAE on the negative ELBO (reconstruction + β·KL) with Adam, on the loop
 * every trainer shares: each step's logs hold loss, reconstruction and kl (batch means, in
 * nats per image), beta, epoch, ms and images/s; callbacks, checkpoints and exact resume work
 * as in `trainGan`, and a checkpoint folder opens with `loadVae`. Every option is checked
 * before anything is built.
 */
export async function trainVae(options: TrainVaeOptions): Promise<TrainVaeResult> {
  checkInputs(options);
  const { vae, seed = 0, batchSize = 128, beta = 1, klWarmup = 0, binarize = 'none' } = options;
  await prepareStore(options.store, 'trainVae');
  const data = binarize === 'static' ? binarizeOnce({ dataset: options.data, seed }) : options.data;
  const classNames = data.labels !== undefined && data.classNames.length === vae.spec.numClasses ? data.classNames : undefined;
  const named: Vae = classNames === undefined ? vae : { ...vae, spec: { ...vae.spec, classNames } };
  const settings = { optimizer: { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, ...options.optimizer }, beta, klWarmup, binarize };
  const step = new VaeStep(vae, settings, named.spec);
  try {
    const result = await runLoop({
      ...options,
      caller: 'trainVae',
      format: vaeCheckpointFormat,
      step,
      streams: [['data', { dataset: data, labels: traitsOf(vae.spec).trainsOnLabels }]],
      batchSize,
      context: (base) => ({ ...base, vae: named, data: options.data }),
    });
    return { ...result, vae: named };
  } finally {
    step.dispose();
  }
}

/** Checks every option (see trainVaeSchema) and the data against the VAE. */
function checkInputs(options: TrainVaeOptions): void {
  parseOptions(trainVaeSchema, options, 'trainVae');
  const { vae, data, binarize = 'none' } = options;
  const families: readonly string[] = familiesOf('vae');
  if (!families.includes(vae.spec.family) || vae.spec.imageShape === undefined) {
    throw new InvalidArgumentError(`trainVae: vae: expected { encoder, decoder, spec } from @dgm/models (createVae, createCvae), got a spec of family ${describeValue(vae.spec.family)}`);
  }
  if (JSON.stringify(data.shape) !== JSON.stringify(vae.spec.imageShape)) {
    throw new ShapeMismatchError(`trainVae: the data's images are ${data.shape.join('×')}, the VAE's ${vae.spec.imageShape.join('×')}`);
  }
  if (traitsOf(vae.spec).trainsOnLabels && (data.labels === undefined || data.classNames.length > (vae.spec.numClasses ?? 0))) {
    throw new InvalidArgumentError(`trainVae: a ${vae.spec.name} needs labeled data with at most ${vae.spec.numClasses} classes; got ${data.labels === undefined ? 'unlabeled data' : `${data.classNames.length} classes`}`);
  }
  if (vae.spec.decoder === 'gaussian' && binarize !== 'none') {
    throw new InvalidArgumentError(`trainVae: binarize '${binarize}' is for a Bernoulli decoder; this VAE's decoder is Gaussian (use binarize 'none')`);
  }
  checkRunOptions(options, 'trainVae');
  checkBatchSize(options.batchSize, data, 'trainVae');
}
