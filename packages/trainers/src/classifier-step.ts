import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Random } from '@dgm/core';
import { crossEntropyLoss } from '@dgm/losses';
import { Adam, type AdamState } from './adam.js';
import { classLogits } from './class-logits.js';
import type { AdamSettings } from './recipe.js';
import type { StepInput, StepSnapshot, StepValues, TrainStep } from './train-step.js';

export interface ClassifierStepOptions {
  readonly model: tfl.LayersModel;
  readonly optimizer: AdamSettings;
  readonly schedule: 'constant' | 'cosine';
  readonly labelSmoothing: number;
  readonly augment: ((batch: { images: tf.Tensor4D; random: Random }) => tf.Tensor4D) | undefined;
  readonly caller: string;
}

/** One classifier step: softmax cross-entropy and Adam on a labeled batch (augmented if asked), at the schedule's learning rate. */
export class ClassifierStep implements TrainStep {
  readonly batchesPerStep = 1;
  readonly #adam: Adam;
  readonly #logits: (images: tf.Tensor4D, training: boolean) => tf.Tensor2D;
  /** The learning rates' factor after rollbacks. */
  #scale = 1;

  constructor(private readonly options: ClassifierStepOptions) {
    this.#logits = classLogits(options.model, options.caller);
    this.#adam = new Adam(
      options.model.trainableWeights.map((w) => w.read() as tf.Variable),
      options.optimizer,
    );
  }

  async run({ draw, random, step, totalSteps }: StepInput): Promise<{ values: StepValues; images: number }> {
    const { augment, labelSmoothing, schedule, optimizer } = this.options;
    const batch = await draw('data');
    const labels = batch.labels!;
    let images: tf.Tensor4D | undefined;
    let accuracy: tf.Scalar | undefined;
    let loss: tf.Scalar;
    try {
      images = augment === undefined ? batch.images : augment({ images: batch.images, random });
      const input = images;
      const base = optimizer.learningRate * this.#scale;
      this.#adam.learningRate = schedule === 'cosine' ? (base * (1 + Math.cos((Math.PI * step) / totalSteps))) / 2 : base;
      loss = this.#adam.minimize(() => {
        const logits = this.#logits(input, true);
        // The batch's accuracy before the update.
        accuracy = tf.keep(tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar));
        return crossEntropyLoss(logits, labels, { labelSmoothing });
      });
    } catch (error) {
      accuracy?.dispose();
      throw error;
    } finally {
      tf.dispose([batch.images, labels, ...(images === undefined ? [] : [images])]);
    }
    const n = labels.shape[0];
    return { values: { loss, accuracy: accuracy!, learningRate: this.#adam.learningRate }, images: n };
  }

  snapshot(): StepSnapshot {
    return { models: { classifier: this.options.model }, optimizers: { classifier: this.#adam.getState() }, state: { learningRateScale: this.#scale } };
  }

  restore(optimizers: Readonly<Record<string, AdamState>>, state: unknown): void {
    this.#adam.setState(optimizers['classifier']!);
    this.#scale = (state as { learningRateScale: number }).learningRateScale;
  }

  scaleLearningRates(factor: number): void {
    this.#scale *= factor;
  }

  dispose(): void {
    this.#adam.dispose();
  }
}
