import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, type Random } from '@dgm/core';
import { bernoulliReconstructionLoss, gaussianKlDivergence, gaussianReconstructionLoss } from '@dgm/losses';
import { parseVaeManifest, specDifferences, traitsOf, vaeManifest, type Vae, type VaeSpec } from '@dgm/models';
import { Adam, type AdamState } from './adam.js';
import type { Checkpoint } from './checkpoint-store.js';
import type { AdamSettings } from './recipe.js';
import type { StepInput, StepSnapshot, StepValues, TrainStep } from './train-step.js';

/** How a Bernoulli decoder's targets are made from images in [0, 1]: a fresh draw each step, once (the data given already binarized), or the intensities. */
export type Binarize = 'dynamic' | 'static' | 'none';

export interface VaeStepSettings {
  readonly optimizer: AdamSettings;
  /** The KL term's weight once warmed up. */
  readonly beta: number;
  /** Steps over which the KL weight rises linearly from β/klWarmup to β (0: β from the first step). */
  readonly klWarmup: number;
  readonly binarize: Binarize;
}

/** The VAE step's part of a checkpoint, beside its models and optimizer. */
interface VaeStepState {
  readonly settings: VaeStepSettings;
  readonly learningRate: number;
}

/**
 * One VAE step (Kingma & Welling 2014): encode, draw z = μ + σ·ε, decode, and one Adam update
 * of encoder and decoder together on reconstruction + β·KL (β-VAE, with an optional linear
 * warm-up). The encoder reads what the decoder is scored on (the binarized image, for
 * binarized data), as `estimateLogLikelihood` of @dgm/metrics scores it.
 */
export class VaeStep implements TrainStep {
  readonly batchesPerStep = 1;
  readonly #adam: Adam;
  readonly #conditional: boolean;

  constructor(
    readonly vae: Vae,
    readonly settings: VaeStepSettings,
    /** The spec as checkpoints record it: with the training data's class names, where known. */
    private readonly spec: VaeSpec = vae.spec,
  ) {
    const variables = [...vae.encoder.trainableWeights, ...vae.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
    this.#adam = new Adam(variables, settings.optimizer);
    this.#conditional = traitsOf(vae.spec).encoderTakesLabels;
  }

  /** The KL weight of the step after `step` completed ones. */
  betaAt(step: number): number {
    const { beta, klWarmup } = this.settings;
    return klWarmup === 0 ? beta : beta * Math.min(1, (step + 1) / klWarmup);
  }

  async run({ draw, random, step }: StepInput): Promise<{ values: StepValues; images: number }> {
    const batch = await draw('data');
    const beta = this.betaAt(step);
    let reconstruction: tf.Scalar | undefined;
    let kl: tf.Scalar | undefined;
    try {
      const { input, target } = this.#targets(batch.images, random);
      const labels = batch.labels === undefined || !this.#conditional ? undefined : tf.reshape(batch.labels, [-1, 1]);
      const noise = tf.randomNormal([batch.images.shape[0], this.vae.spec.latentDim], 0, 1, 'float32', random.tfSeed());
      try {
        const loss = this.#adam.minimize(() => {
          const terms = this.#terms(input, target, labels, noise);
          reconstruction = tf.keep(terms.reconstruction);
          kl = tf.keep(terms.kl);
          return tf.add(terms.reconstruction, tf.mul(terms.kl, beta));
        });
        return { values: { loss, reconstruction: reconstruction!, kl: kl!, beta }, images: batch.images.shape[0] };
      } finally {
        tf.dispose([input, target, noise, ...(labels === undefined ? [] : [labels])]);
      }
    } catch (error) {
      tf.dispose([reconstruction, kl].filter((t) => t !== undefined));
      throw error;
    } finally {
      tf.dispose([batch.images, ...(batch.labels === undefined ? [] : [batch.labels])]);
    }
  }

  /** What the encoder reads and what the decoder is scored on, from images in [−1, 1]. */
  #targets(images: tf.Tensor4D, random: Random): { input: tf.Tensor4D; target: tf.Tensor4D } {
    if (this.vae.spec.decoder === 'gaussian') return { input: tf.clone(images), target: tf.clone(images) };
    return tf.tidy(() => {
      const probabilities = tf.div(tf.add(images, 1), 2);
      const target = this.settings.binarize === 'dynamic' ? tf.cast(tf.less(tf.randomUniform(images.shape, 0, 1, 'float32', random.tfSeed()), probabilities), 'float32') : probabilities;
      return { input: tf.sub(tf.mul(target, 2), 1) as tf.Tensor4D, target: target as tf.Tensor4D };
    });
  }

  /** The batch's mean reconstruction term −log p(x|z) and KL(q(z|x) ‖ N(0, I)), on the tape. */
  #terms(input: tf.Tensor4D, target: tf.Tensor4D, labels: tf.Tensor | undefined, noise: tf.Tensor): { reconstruction: tf.Scalar; kl: tf.Scalar } {
    const { encoder, decoder, spec } = this.vae;
    const [mean, logVariance] = encoder.apply(labels === undefined ? input : [input, labels], { training: true }) as [tf.Tensor2D, tf.Tensor2D];
    const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), noise));
    const output = decoder.apply(labels === undefined ? z : [z, labels], { training: true }) as tf.Tensor4D;
    const reconstruction =
      spec.decoder === 'bernoulli' ? bernoulliReconstructionLoss(output, target) : gaussianReconstructionLoss(output, target, { logVariance: spec.gaussianLogVariance ?? 0 });
    return { reconstruction, kl: gaussianKlDivergence(mean, logVariance) };
  }

  snapshot(): StepSnapshot {
    const state: VaeStepState = { settings: this.settings, learningRate: this.#adam.learningRate };
    return {
      models: { encoder: this.vae.encoder, decoder: this.vae.decoder },
      optimizers: { vae: this.#adam.getState() },
      state,
      // The folder layout of saveVae, so that a checkpoint opens with loadVae.
      documents: { 'vae.json': vaeManifest(this.spec) },
    };
  }

  checkResume(checkpoint: Checkpoint, where: string, caller: string): void {
    const text = checkpoint.documents?.['vae.json'];
    if (text === undefined) throw new CheckpointError(`${caller}: ${where} holds no vae.json: not a VAE run's checkpoint`);
    const differences = specDifferences(this.spec, parseVaeManifest(text, `${where}/vae.json`));
    if (differences.length > 0) {
      throw new CheckpointError(
        `${caller}: cannot resume from ${where}: it holds another VAE than the one given (given vs saved: ${differences.join('; ')}); resume with the VAE it was trained with or start a new run`,
      );
    }
  }

  restore(optimizers: Readonly<Record<string, AdamState>>, state: unknown): void {
    this.#adam.setState(optimizers['vae']!);
    this.#adam.learningRate = (state as VaeStepState).learningRate;
  }

  scaleLearningRates(factor: number): void {
    this.#adam.learningRate *= factor;
  }

  dispose(): void {
    this.#adam.dispose();
  }
}
