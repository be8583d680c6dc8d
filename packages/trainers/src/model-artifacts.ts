import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError } from '@dgm/core';

/** Loads the weights of saved artifacts into `model` (same architecture), checking that they fit. */
export function loadWeightsInto(model: tfl.LayersModel, artifacts: tf.io.ModelArtifacts | undefined, name: string): void {
  if (artifacts?.weightData === undefined || artifacts.weightSpecs === undefined) throw new CheckpointError(`the checkpoint holds no ${name} weights`);
  const specs = artifacts.weightSpecs;
  const fits = specs.length === model.weights.length && specs.every((s, i) => JSON.stringify(s.shape) === JSON.stringify(model.weights[i]!.shape));
  if (!fits) throw new CheckpointError(`the checkpoint's ${name} weights (${specs.length} tensors) do not fit this model's (${model.weights.length}, or other shapes)`);
  const tensors = tf.io.decodeWeights(artifacts.weightData, specs);
  model.setWeights(specs.map((s) => tensors[s.name]!));
  tf.dispose(Object.values(tensors));
}
