import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createRandom, InvalidArgumentError, ShapeMismatchError, TrainingError, type Random } from '@dgm/core';
import { batches, type Batch, type BatchStreamState, type Dataset } from '@dgm/data';
import { takesLabels, type Gan } from '@dgm/models';
import { Adam } from './adam.js';
import { completedEpochs } from './completed-epochs.js';
import { tensorLeakGuard } from './leak-guard.js';
import type { StepLogs, TrainCallback, TrainContext } from './callbacks.js';
import { copyWeights, readCheckpoint, writeCheckpoint, type Checkpoint, type TrainingState } from './checkpoint.js';
import { GeneratorEma } from './ema.js';
import { objectives, type StepBatch } from './objectives.js';
import { resolveRecipe, type GanRecipe } from './recipe.js';

export interface TrainGanOptions extends Partial<GanRecipe> {
  readonly gan: Gan;
  /** Training images (with labels for conditional GANs and AC-GAN). */
  readonly data: Dataset;
  /** Semi-supervised GAN: the labeled subset (e.g. `takePerClass`). */
  readonly labeled?: Dataset;
  /** Training steps (one step = every phase once); or `epochs` over the data. */
  readonly steps?: number;
  readonly epochs?: number;
  /** Seed of the data order, latents, labels and penalties. Default 0. */
  readonly seed?: number;
  /** EMA of G's weights. Default { decay: 0.999 }; false turns it off. */
  readonly ema?: false | { readonly decay: number };
  readonly callbacks?: readonly TrainCallback[];
  /** Stops training after the current step, with a final checkpoint. */
  readonly signal?: AbortSignal;
  /** Where checkpoints go; a final one is written at the end, on abort and on stop(). */
  readonly runDir?: string;
  /** A run folder to continue from its latest checkpoint: same models, data and options. */
  readonly resumeFrom?: string;
  /** On a non-finite loss: 'stop' (default) throws; rollback reloads the last checkpoint and scales the learning rates. */
  readonly onNonFinite?: 'stop' | { readonly rollback: { readonly learningRateFactor?: number; readonly maxRollbacks?: number } };
  /** Check that the number of live tensors stays flat from step to step. */
  readonly debug?: boolean;
}

export interface TrainGanResult {
  /** The last step completed. */
  readonly step: number;
  readonly aborted: boolean;
  readonly logs: StepLogs | undefined;
  /** The folder of the last checkpoint written, if any. */
  readonly checkpoint: string | undefined;
  /** The EMA generator (owned by the caller), if on. */
  readonly ema: tfl.LayersModel | undefined;
}

const recipeKeys = ['loss', 'regularizers', 'optimizers', 'phases', 'batchSize', 'labelSmoothing', 'classLossWeight', 'discriminatorClassLoss', 'mismatchedLabels', 'featureMatching', 'augment'] as const;

/**
 * Trains a GAN from @dgm/models on a dataset from @dgm/data with its family's recipe (every
 * field overridable). Each step runs the recipe's phases (D updates, then G), calls the
 * callbacks with a record of numbers, and can be checkpointed and resumed exactly.
 */
export async function trainGan(options: TrainGanOptions): Promise<TrainGanResult> {
  const { gan, data, labeled, seed = 0, callbacks = [], signal, runDir, debug = false } = options ?? ({} as TrainGanOptions);
  checkInputs(options);
  const family = gan.spec.family;
  const overrides = Object.fromEntries(recipeKeys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])) as Partial<GanRecipe>;
  const recipe = resolveRecipe(family, overrides);
  const conditional = takesLabels(gan.spec).generator;
  const dVariables = gan.discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
  const gVariables = gan.generator.trainableWeights.map((w) => w.read() as tf.Variable);
  const dAdam = new Adam(dVariables, recipe.optimizers.discriminator);
  const gAdam = new Adam(gVariables, recipe.optimizers.generator);
  const emaDecay = options.ema === false ? undefined : (options.ema?.decay ?? 0.999);
  const ema = emaDecay === undefined ? undefined : new GeneratorEma(gan, emaDecay);
  const objective = objectives(gan, recipe);

  // Streams and randomness: from the seed, or from a checkpoint.
  const root = createRandom({ seed });
  const stream = (dataset: Dataset, streamSeed: number, state: BatchStreamState | undefined, withLabels: boolean) =>
    batches({ dataset, batchSize: Math.min(recipe.batchSize, dataset.count), dropRemainder: true, labels: withLabels, epochs: Infinity, seed: streamSeed, ...(state === undefined ? {} : { state }) });
  const seeds = { data: root.uint32(), labeled: root.uint32() };
  let random: Random = root.fork();
  const dataLabels = takesLabelsOfData(family);
  let dataStream = stream(data, seeds.data, undefined, dataLabels);
  let labeledStream = labeled === undefined ? undefined : stream(labeled, seeds.labeled, undefined, true);
  let dataIterator = dataStream[Symbol.asyncIterator]();
  let labeledIterator = labeledStream?.[Symbol.asyncIterator]();
  let step = 0;
  let lastCheckpoint: string | undefined;

  const restore = (checkpoint: Checkpoint) => {
    copyWeights(checkpoint.gan.generator, gan.generator);
    copyWeights(checkpoint.gan.discriminator, gan.discriminator);
    if (ema !== undefined && checkpoint.ema !== undefined) copyWeights(checkpoint.ema, ema.model);
    dAdam.setState(checkpoint.optimizers.discriminator);
    gAdam.setState(checkpoint.optimizers.generator);
    dAdam.learningRate = checkpoint.state.learningRates.discriminator;
    gAdam.learningRate = checkpoint.state.learningRates.generator;
    random = createRandom({ state: checkpoint.state.random });
    dataStream = stream(data, seeds.data, checkpoint.state.data, dataLabels);
    dataIterator = dataStream[Symbol.asyncIterator]();
    if (labeled !== undefined) {
      labeledStream = stream(labeled, seeds.labeled, checkpoint.state.labeledData, true);
      labeledIterator = labeledStream[Symbol.asyncIterator]();
    }
    step = checkpoint.state.step;
    for (const m of [checkpoint.gan.generator, checkpoint.gan.discriminator, checkpoint.ema]) m?.dispose();
  };
  if (options.resumeFrom !== undefined) {
    const checkpoint = await readCheckpoint(options.resumeFrom);
    if (checkpoint.state.seed !== seed) {
      throw new InvalidArgumentError(`trainGan: ${options.resumeFrom} was trained with seed ${checkpoint.state.seed}, not ${seed}`);
    }
    restore(checkpoint);
    lastCheckpoint = checkpoint.dir;
  }
  const startStep = step;
  const dPerStep = recipe.phases.filter((p) => p.side === 'discriminator').reduce((n, p) => n + (p.repeat ?? 1), 0) || 1;
  const totalSteps = options.steps ?? Math.ceil(((options.epochs ?? 1) * dataStream.batchesPerEpoch) / dPerStep);

  const state = (): TrainingState => ({
    step,
    epoch: dataStream.getState().epoch,
    seed,
    random: random.getState(),
    data: dataStream.getState(),
    ...(labeledStream === undefined ? {} : { labeledData: labeledStream.getState() }),
    recipe,
    learningRates: { generator: gAdam.learningRate, discriminator: dAdam.learningRate },
    ...(emaDecay === undefined ? {} : { emaDecay }),
  });
  const checkpoint = async (): Promise<string> => {
    if (runDir === undefined) throw new InvalidArgumentError('trainGan: checkpoints need a runDir');
    lastCheckpoint = await writeCheckpoint(runDir, {
      gan,
      ...(ema === undefined ? {} : { ema: ema.model }),
      optimizers: { generator: gAdam.getState(), discriminator: dAdam.getState() },
      state: state(),
    });
    return lastCheckpoint;
  };
  let stopRequested = false;
  const context: TrainContext = {
    gan,
    ema: ema?.model,
    runDir,
    startStep,
    totalSteps,
    batchSize: recipe.batchSize,
    seed,
    checkpoint,
    stop: () => {
      stopRequested = true;
    },
  };

  const next = async <T>(iterator: AsyncIterator<T> | undefined): Promise<T> => (await iterator!.next()).value as T;
  const latents = (n: number) => tf.randomNormal([n, gan.spec.latentDim], 0, 1, 'float32', random.tfSeed()) as tf.Tensor2D;
  const fakeLabels = (n: number) =>
    conditional ? tf.tensor1d(Int32Array.from({ length: n }, () => random.int(gan.spec.numClasses!)), 'int32') : undefined;
  const rollback = options.onNonFinite === undefined || options.onNonFinite === 'stop' ? undefined : options.onNonFinite.rollback;
  let rollbacks = 0;
  let logs: StepLogs | undefined;
  const checkLeaks = debug ? tensorLeakGuard('trainGan') : undefined;

  // Rolling back needs a checkpoint from before the first bad step.
  if (rollback !== undefined && runDir !== undefined && lastCheckpoint === undefined) await checkpoint();
  for (const cb of callbacks) await cb.onTrainBegin?.(context);
  while (step < totalSteps && !(signal?.aborted ?? false) && !stopRequested) {
    const started = performance.now();
    const epochBefore = completedEpochs(dataStream);
    const current: Record<string, number> = { step: step + 1 };
    const record = (name: string, value: tf.Scalar) => {
      current[name] = value.dataSync()[0]!;
    };
    let real: Batch | undefined;
    let realImages = 0;
    for (const phase of recipe.phases) {
      if ((step + 1) % (phase.every ?? 1) !== 0) continue;
      for (let r = 0; r < (phase.repeat ?? 1); r++) {
        const needsReal = phase.side === 'discriminator' || real === undefined;
        if (needsReal) {
          if (real !== undefined) disposeBatch(real);
          real = await next<Batch>(dataIterator);
          realImages += real.images.shape[0];
        }
        const n = real!.images.shape[0];
        const labeledBatch = phase.side === 'discriminator' && labeledIterator !== undefined ? await next<Batch>(labeledIterator) : undefined;
        const batch: StepBatch = {
          real: real!.images,
          ...(real!.labels === undefined ? {} : { realLabels: real!.labels }),
          z: latents(n),
          ...(conditional ? { fakeLabels: fakeLabels(n)! } : {}),
          ...(labeledBatch === undefined ? {} : { labeled: { images: labeledBatch.images, labels: labeledBatch.labels! } }),
          random,
          discriminatorStep: dAdam.getStep(),
        };
        if (phase.side === 'discriminator') {
          current['dLoss'] = dAdam.minimize(() => objective.discriminator(batch, record));
        } else {
          current['gLoss'] = gAdam.minimize(() => objective.generator(batch, record));
          ema?.update(gan.generator, gAdam.getStep());
        }
        tf.dispose([batch.z, batch.fakeLabels, labeledBatch?.images, labeledBatch?.labels].filter((t) => t !== undefined) as tf.Tensor[]);
      }
    }
    if (real !== undefined) disposeBatch(real);
    step++;
    const ms = performance.now() - started;
    logs = { ...current, epoch: completedEpochs(dataStream), ms, imagesPerSecond: (realImages * 1000) / ms };

    const bad = Object.entries(logs).find(([, v]) => !Number.isFinite(v));
    if (bad !== undefined) {
      const where = `step ${step}: ${bad[0]} is ${bad[1]}`;
      if (rollback === undefined || lastCheckpoint === undefined || runDir === undefined || rollbacks >= (rollback.maxRollbacks ?? 3)) {
        const tail = rollback === undefined ? '' : ` after ${rollbacks} rollback(s)`;
        throw new TrainingError(`trainGan: non-finite loss at ${where}${tail}; last good checkpoint: ${lastCheckpoint ?? 'none (set runDir and checkpoints)'}`);
      }
      rollbacks++;
      const factor = rollback.learningRateFactor ?? 0.5;
      restore(await readCheckpoint(runDir));
      dAdam.learningRate *= factor;
      gAdam.learningRate *= factor;
      continue;
    }
    checkLeaks?.(step);
    for (const cb of callbacks) await cb.onBatchEnd?.(step, logs, context);
    if (logs['epoch']! > epochBefore) for (const cb of callbacks) await cb.onEpochEnd?.(epochBefore, logs, context);
  }
  const aborted = (signal?.aborted ?? false) || stopRequested;
  if (runDir !== undefined && (step > startStep || lastCheckpoint === undefined)) await checkpoint();
  for (const cb of callbacks) await cb.onTrainEnd?.(logs, context);
  dAdam.dispose();
  gAdam.dispose();
  return { step, aborted, logs, checkpoint: lastCheckpoint, ema: ema?.model };
}

function disposeBatch(batch: Batch): void {
  batch.images.dispose();
  batch.labels?.dispose();
}

/** Whether the data stream must yield labels: AC-GAN and conditional GANs train on them. */
function takesLabelsOfData(family: Gan['spec']['family']): boolean {
  return family === 'cgan' || family === 'acgan';
}

function checkInputs(options: TrainGanOptions): void {
  const { gan, data, labeled, steps, epochs } = options ?? ({} as TrainGanOptions);
  if (gan?.generator === undefined || gan.discriminator === undefined || gan.spec === undefined) {
    throw new InvalidArgumentError('trainGan: gan must be { generator, discriminator, spec } from @dgm/models');
  }
  if (data === undefined || !Number.isInteger(data.count)) throw new InvalidArgumentError('trainGan: data must be a Dataset from @dgm/data');
  if (JSON.stringify(data.shape) !== JSON.stringify(gan.spec.imageShape)) {
    throw new ShapeMismatchError(`trainGan: the data's images are ${data.shape.join('×')}, the GAN's ${gan.spec.imageShape.join('×')}`);
  }
  if (takesLabelsOfData(gan.spec.family) && (data.labels === undefined || data.classNames.length > (gan.spec.numClasses ?? 0))) {
    throw new InvalidArgumentError(`trainGan: ${gan.spec.name} needs labeled data with at most ${gan.spec.numClasses} classes`);
  }
  if (gan.spec.family === 'ssgan' && (labeled?.labels === undefined || JSON.stringify(labeled.shape) !== JSON.stringify(gan.spec.imageShape))) {
    throw new InvalidArgumentError(`trainGan: a semi-supervised GAN needs labeled: a labeled Dataset of ${gan.spec.imageShape.join('×')} images (e.g. takePerClass)`);
  }
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 0)) throw new InvalidArgumentError(`trainGan: steps must be a non-negative integer, got ${steps}`);
  if (epochs !== undefined && !(epochs > 0)) throw new InvalidArgumentError(`trainGan: epochs must be positive, got ${epochs}`);
}
