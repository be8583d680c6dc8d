import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { LazyConv2D } from './lazy-conv2d.js';

type Config = ConstructorParameters<typeof LazyConv2D>[0];

/** dgm's classes for tfjs-layers' class names, as [class, fromConfig], given to this deserialization only (tfjs's registry keeps its own). */
const dgmClasses = { Conv2D: [LazyConv2D, (cls: typeof LazyConv2D, config: Config) => new cls(config)] } as unknown as tf.serialization.ConfigDict;

/**
 * A model from saved artifacts, as `tfl.loadLayersModel` builds it, but with `LazyConv2D` where
 * the topology says Conv2D, so that a loaded GAN trains as the one its builder made (same
 * kernels, so also an exact resume on every backend). tfjs-layers' public `modelFromJSON`
 * takes such classes, `loadLayersModel` does not: the weights are loaded as it loads them.
 */
export async function loadModelArtifacts(artifacts: tf.io.ModelArtifacts): Promise<tfl.LayersModel> {
  const { modelTopology, weightData, weightSpecs } = artifacts;
  if (modelTopology === undefined || modelTopology instanceof ArrayBuffer) throw new Error('the artifacts hold no JSON model topology');
  const model = await tfl.models.modelFromJSON({ modelTopology } as tfl.ModelAndWeightsConfig, dgmClasses);
  try {
    if (weightData !== undefined) {
      if (weightSpecs === undefined) throw new Error('the artifacts hold weight data but no weight specs');
      const weights = tf.io.decodeWeights(weightData, weightSpecs);
      try {
        model.loadWeights(weights);
      } finally {
        tf.dispose(Object.values(weights));
      }
    }
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** A model's topology and weights as tf.io artifacts, in memory (what `loadModelArtifacts` takes back). */
export async function modelArtifacts(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}
