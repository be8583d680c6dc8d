import { parseOptions } from '@dgm/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { classifierLayers } from '@dgm/models';
import * as z from 'zod';
import { checkedLater, layersModelType } from './options.js';
import { layerExtractor, type FeatureExtractor } from './feature-extractor.js';

/** A feature extractor that keeps the classifier it reads. */
export interface ClassifierExtractor extends FeatureExtractor {
  /** The classifier behind it (its `features` layer gives the features, its output the probabilities). */
  readonly model: tfl.LayersModel;
}

/**
 * The extractor of a loaded `createClassifier` model (e.g. a shipped extractor's model.json,
 * loaded with `tfl.loadLayersModel(url)` in a browser): its `features` layer and its class
 * probabilities, under `id`.
 */
export function classifierExtractor(options: { model: tfl.LayersModel; id: string }): ClassifierExtractor {
  const { model, id } = parseOptions(z.strictObject({ model: layersModelType, id: checkedLater }), options, 'classifierExtractor') as typeof options;
  return { ...layerExtractor({ model, layer: classifierLayers.features, probabilities: 'output', id }), model };
}
