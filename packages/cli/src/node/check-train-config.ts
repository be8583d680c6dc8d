import { InvalidArgumentError } from '@dgm/core';
import { familyTraits, modelFamilies, type ModelName, type VaeModelName } from '@dgm/models';
import { resolveRecipe } from '@dgm/trainers';
import { extractorFor, parseDataSpec, type DataSpec } from './data-source.js';
import type { TrainConfig } from './train-config.js';

/**
 * What `dgm train` checks of a config before anything loads (and `dgm sweep start` of every
 * trial): the data spec, a shipped extractor for `metricsEvery`, and a GAN's recipe, resolved
 * with its family's defaults (what run.json records). A VAE's recipe is checked by trainVae.
 */
export function checkTrainConfig(config: TrainConfig): { data: DataSpec; recipe: unknown } {
  const data = parseDataSpec(config.data);
  if (config.metricsEvery !== undefined && extractorFor(data) === undefined) throw new InvalidArgumentError(`metricsEvery: no shipped extractor scores ${config.data} (there are for mnist and fashion-mnist)`);
  const family = modelFamilies[config.model];
  if (familyTraits[family].kind !== 'gan') return { data, recipe: config.recipe };
  // ema and discriminatorEma are trainGan's options, not recipe fields.
  const { ema: _ema, discriminatorEma: _discriminatorEma, ...recipe } = config.recipe;
  return { data, recipe: resolveRecipe(family as never, recipe, 'recipe') };
}

/** Whether a model is built with `numClasses` (it takes labels, or classifies into classes). */
export function takesClassCount(model: ModelName | VaeModelName): boolean {
  const traits = familyTraits[modelFamilies[model]];
  return traits.generatorTakesLabels || traits.auxiliaryClassifier || traits.classLogitsDiscriminator;
}
