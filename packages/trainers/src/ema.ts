import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@dgm/core';

/**
 * An exponential moving average of a model's weights: of G's, for samples steadier than G's
 * latest (Karras et al. 2018; Yazıcı et al. 2019), or of D's, for a classifier steadier than
 * D's latest (the Polyak averaging of Salimans et al. 2016's semi-supervised D).
 * ema ← d·ema + (1 − d)·w after the model's t-th update; the rate warms up,
 * d = min(decay, (1 + t)/(10 + t)) as in TensorFlow's ExponentialMovingAverage, so that early
 * averages are not dominated by the initial weights. Non-trainable weights (batch-norm
 * statistics) are copied.
 */
export class ModelEma {
  readonly model: tfl.LayersModel;

  constructor(
    source: tfl.LayersModel,
    readonly decay: number,
    caller = 'trainGan',
  ) {
    if (!(decay > 0 && decay < 1)) throw new InvalidArgumentError(`${caller}: ema decay must be in (0, 1), got ${decay}`);
    // A copy of the model's own topology (not rebuilt from the registry: it may be a user's model).
    this.model = tfl.LayersModel.fromConfig(tfl.LayersModel, source.getConfig()) as tfl.LayersModel;
    this.model.setWeights(source.getWeights());
  }

  /** Averages in the model's weights after its `update`-th update (1, 2, …). */
  update(source: tfl.LayersModel, update: number): void {
    const d = Math.min(this.decay, (1 + update) / (10 + update));
    tf.tidy(() => {
      source.weights.forEach((weight, i) => {
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
