import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, type Random } from '@dgm/core';
import type { Batch } from '@dgm/data';
import { ganManifest, initializeWeightNorm, parseGanManifest, specDifferences, traitsOf, type FamilyTraits, type Gan, type GanSpec } from '@dgm/models';
import { Adam, type AdamState } from './adam.js';
import type { Checkpoint } from './checkpoint-store.js';
import { ModelEma } from './ema.js';
import { objectives, type StepBatch } from './objectives.js';
import type { GanRecipe, Phase } from './recipe.js';
import type { StepInput, StepSnapshot, StepValues, TrainStep } from './train-step.js';

/** The GAN step's part of a checkpoint, beside its models and optimizers. */
interface GanStepState {
  readonly recipe: GanRecipe;
  readonly learningRates: { readonly generator: number; readonly discriminator: number };
  readonly emaDecay?: number;
  readonly discriminatorEmaDecay?: number;
}

/** Decays of the weight averages a GAN step keeps: G's (for samples) and D's (for a classifier); undefined: none. */
export interface GanAverages {
  readonly generator?: number | undefined;
  readonly discriminator?: number | undefined;
}

/** One GAN step: the recipe's phases (D updates, then G) on batches of the 'data' stream (and 'labeled' for SSGAN), then the EMA. */
export class GanStep implements TrainStep {
  readonly batchesPerStep: number;
  readonly ema: ModelEma | undefined;
  readonly discriminatorEma: ModelEma | undefined;
  readonly #dAdam: Adam;
  readonly #gAdam: Adam;
  readonly #objective: ReturnType<typeof objectives>;
  readonly #traits: FamilyTraits;
  /** The spec as checkpoints record it: with the training data's class names, where known. */
  readonly #spec: GanSpec;

  constructor(
    readonly gan: Gan,
    readonly recipe: GanRecipe,
    averages: GanAverages,
    classNames?: readonly string[],
  ) {
    this.#spec = classNames === undefined ? gan.spec : { ...gan.spec, classNames };
    const variables = (model: Gan['generator']) => model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.#dAdam = new Adam(variables(gan.discriminator), recipe.optimizers.discriminator);
    this.#gAdam = new Adam(variables(gan.generator), recipe.optimizers.generator);
    try {
      this.ema = averages.generator === undefined ? undefined : new ModelEma(gan.generator, averages.generator);
      this.discriminatorEma = averages.discriminator === undefined ? undefined : new ModelEma(gan.discriminator, averages.discriminator);
      this.#objective = objectives(gan, recipe);
    } catch (error) {
      // Built so far, and nobody else holds it.
      this.ema?.dispose();
      this.discriminatorEma?.dispose();
      this.dispose();
      throw error;
    }
    this.#traits = traitsOf(gan.spec);
    this.batchesPerStep = recipe.phases.filter((p) => p.side === 'discriminator').reduce((n, p) => n + (p.repeat ?? 1), 0) || 1;
  }

  async run({ draw, random, step }: StepInput): Promise<{ values: StepValues; images: number }> {
    const values: Record<string, tf.Scalar> = {};
    const keep = (name: string, value: tf.Scalar) => {
      values[name]?.dispose();
      values[name] = value;
    };
    const record = (name: string, value: tf.Scalar) => keep(name, tf.keep(value));
    let real: Batch | undefined;
    let images = 0;
    try {
      for (const phase of this.recipe.phases) {
        if ((step + 1) % (phase.every ?? 1) !== 0) continue;
        for (let r = 0; r < (phase.repeat ?? 1); r++) {
          if (phase.side === 'discriminator' || real === undefined) {
            if (real !== undefined) disposeBatch(real);
            real = undefined; // disposed: not again below, should the draw fail
            real = await draw('data');
            images += real.images.shape[0];
          }
          await this.#update(phase.side, real, draw, random, keep, record);
        }
      }
    } catch (error) {
      // Nothing of a failed step outlives it.
      tf.dispose(Object.values(values));
      throw error;
    } finally {
      if (real !== undefined) disposeBatch(real);
    }
    return { values, images };
  }

  /** One update of `side` on the real batch (and for SSGAN's D a labeled one); its latents are disposed after it, also on failure. */
  async #update(side: Phase['side'], real: Batch, draw: StepInput['draw'], random: Random, keep: (name: string, value: tf.Scalar) => void, record: (name: string, value: tf.Scalar) => void): Promise<void> {
    const labeled = side === 'discriminator' && this.#traits.trainsOnLabeledSubset ? await draw('labeled') : undefined;
    let batch: StepBatch | undefined;
    let fakes: tf.Tensor | undefined;
    try {
      batch = this.#batch(real, labeled, random);
      const built = batch;
      if (side === 'discriminator') {
        if (this.recipe.weightNormInit === true && this.#dAdam.getStep() === 0) initializeWeightNorm({ model: this.gan.discriminator, images: real.images });
        // Off D's tape: G's images are constants to D's update (same order of work as inside it).
        fakes = tf.tidy(() => this.#objective.fakes(built));
        const withFakes = { ...built, fakes };
        keep('dLoss', this.#dAdam.minimize(() => this.#objective.discriminator(withFakes, record)));
        this.discriminatorEma?.update(this.gan.discriminator, this.#dAdam.getStep());
      } else {
        keep('gLoss', this.#gAdam.minimize(() => this.#objective.generator(built, record)));
        this.ema?.update(this.gan.generator, this.#gAdam.getStep());
      }
    } finally {
      tf.dispose([batch?.z, batch?.fakeLabels, fakes, labeled?.images, labeled?.labels].filter((t) => t !== undefined));
    }
  }

  #batch(real: Batch, labeled: Batch | undefined, random: Random): StepBatch {
    const n = real.images.shape[0];
    const { latentDim, numClasses = 1 } = this.gan.spec;
    const z = tf.randomNormal([n, latentDim], 0, 1, 'float32', random.tfSeed()) as tf.Tensor2D;
    const fakeLabels = this.#traits.generatorTakesLabels ? tf.tensor1d(Int32Array.from({ length: n }, () => random.int(numClasses)), 'int32') : undefined;
    return {
      real: real.images,
      ...(real.labels === undefined ? {} : { realLabels: real.labels }),
      z,
      ...(fakeLabels === undefined ? {} : { fakeLabels }),
      ...(labeled === undefined ? {} : { labeled: { images: labeled.images, labels: labeled.labels! } }),
      random,
      discriminatorStep: this.#dAdam.getStep(),
    };
  }

  snapshot(): StepSnapshot {
    const state: GanStepState = {
      recipe: this.recipe,
      learningRates: { generator: this.#gAdam.learningRate, discriminator: this.#dAdam.learningRate },
      ...(this.ema === undefined ? {} : { emaDecay: this.ema.decay }),
      ...(this.discriminatorEma === undefined ? {} : { discriminatorEmaDecay: this.discriminatorEma.decay }),
    };
    return {
      models: {
        generator: this.gan.generator,
        discriminator: this.gan.discriminator,
        ...(this.ema === undefined ? {} : { 'generator-ema': this.ema.model }),
        ...(this.discriminatorEma === undefined ? {} : { 'discriminator-ema': this.discriminatorEma.model }),
      },
      optimizers: { generator: this.#gAdam.getState(), discriminator: this.#dAdam.getState() },
      state,
      // The folder layout of saveGan, so that a checkpoint opens with loadGan.
      documents: { 'gan.json': ganManifest(this.#spec) },
    };
  }

  checkResume(checkpoint: Checkpoint, where: string, caller: string): void {
    const text = checkpoint.documents?.['gan.json'];
    if (text === undefined) throw new CheckpointError(`${caller}: ${where} holds no gan.json: not a GAN run's checkpoint`);
    const saved = parseGanManifest(text, `${where}/gan.json`);
    const differences = specDifferences(this.#spec, saved);
    const [ours, theirs] = [this.#spec.classNames, saved.classNames];
    if (ours !== undefined && theirs !== undefined && JSON.stringify(ours) !== JSON.stringify(theirs)) {
      differences.push(`classes ${JSON.stringify(ours)}, not ${JSON.stringify(theirs)}`);
    }
    if (differences.length > 0) {
      throw new CheckpointError(
        `${caller}: cannot resume from ${where}: it holds another GAN than the one given (given vs saved: ${differences.join('; ')}); resume with the GAN it was trained with (loadGanRun rebuilds it) or start a new run`,
      );
    }
  }

  restore(optimizers: Readonly<Record<string, AdamState>>, state: unknown): void {
    const { learningRates } = state as GanStepState;
    this.#gAdam.setState(optimizers['generator']!);
    this.#dAdam.setState(optimizers['discriminator']!);
    this.#gAdam.learningRate = learningRates.generator;
    this.#dAdam.learningRate = learningRates.discriminator;
  }

  scaleLearningRates(factor: number): void {
    this.#gAdam.learningRate *= factor;
    this.#dAdam.learningRate *= factor;
  }

  dispose(): void {
    this.#dAdam.dispose();
    this.#gAdam.dispose();
  }
}

function disposeBatch(batch: Batch): void {
  batch.images.dispose();
  batch.labels?.dispose();
}
