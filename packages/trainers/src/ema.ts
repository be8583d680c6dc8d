import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@dgm/core';
import type { Gan } from '@dgm/models';

/**
 * An exponential moving average of G's weights (Karras et al. 2018; Yazıcı et al. 2019):
 * ema ← d·ema + (1 − d)·G after G's t-th update, for samples steadier than G's latest. The
 * rate warms up, d = min(decay, (1 + t)/(10 + t)) as in TensorFlow's
 * ExponentialMovingAverage, so that early samples are not dominated by the initial weights.
 * Non-trainable weights (batch-norm statistics) are copied.
 */
export class GeneratorEma {
  readonly model: tfl.LayersModel;

  constructor(
    gan: Gan,
    readonly decay: number,
  ) {
    if (!(decay > 0 && decay < 1)) throw new InvalidArgumentError(`trainGan: ema decay must be in (0, 1), got ${decay}`);
    // A copy of G's own topology (not rebuilt from the registry: G may be a user's model).
    this.model = tfl.LayersModel.fromConfig(tfl.LayersModel, gan.generator.getConfig()) as tfl.LayersModel;
    this.model.setWeights(gan.generator.getWeights());
  }

  /** Averages in G's weights after its `update`-th update (1, 2, …). */
  update(generator: tfl.LayersModel, update: number): void {
    const d = Math.min(this.decay, (1 + update) / (10 + update));
    tf.tidy(() => {
      generator.weights.forEach((weight, i) => {
        const average = this.model.weights[i]!;
        const value = weight.read();
        average.write(weight.trainable ? tf.add(tf.mul(average.read(), d), tf.mul(value, 1 - d)) : tf.add(value, 0));
      });
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}
