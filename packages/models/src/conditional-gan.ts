import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@dgm/core';
import { checkPositiveInteger, stagesFor } from './architecture.js';
import { apply, discriminatorBody, generatorBody, labelEmbedding, logits, Seeds } from './blocks.js';
import { dcganDefaults, type DcganOptions } from './dcgan.js';
import type { Gan } from './spec.js';

export interface ConditionalGanOptions extends DcganOptions {
  readonly numClasses: number;
  /**
   * How D sees the label: 'concat' (an embedding reshaped to one extra image channel,
   * Mirza & Osindero 2014) or 'projection' (Miyato & Koyama 2018). Default 'projection'.
   */
  readonly discriminatorConditioning?: 'concat' | 'projection';
  /** Size of G's label embedding, concatenated to z. Default 50. */
  readonly embeddingDim?: number;
}

/**
 * Class-conditional GAN. G(z, y) concatenates an embedding of y to z. D(x, y) either reads
 * the label as an extra channel, or projects: D(x, y) = ψ(φ(x)) + ⟨embed(y), φ(x)⟩ with φ
 * the features and ψ a linear head.
 */
export function createConditionalGan(options: ConditionalGanOptions): Gan {
  const o = conditionalDefaults(options, 'createConditionalGan');
  const { generator, seeds } = conditionalGenerator(o, 'createConditionalGan');
  const stages = stagesFor(o.imageShape, o.generatorFilters, o.discriminatorFilters, 'createConditionalGan');
  const image = tfl.input({ shape: [...o.imageShape], name: 'image' });
  const [h, w] = o.imageShape;
  let logit: tfl.SymbolicTensor;
  let label: tfl.SymbolicTensor;
  if (o.discriminatorConditioning === 'concat') {
    const embedding = labelEmbedding(o.numClasses, h * w, seeds);
    label = embedding.label;
    const plane = apply(tfl.layers.reshape({ targetShape: [h, w, 1] }), embedding.embedded);
    const input = apply(tfl.layers.concatenate({ axis: -1 }), [image, plane]);
    logit = logits(discriminatorBody(input, stages, o.discriminatorNormalization, seeds, o.spectralNormalization), 1, seeds, 'logit', true, o.spectralNormalization);
  } else {
    const features = discriminatorBody(image, stages, o.discriminatorNormalization, seeds, o.spectralNormalization);
    const embedding = labelEmbedding(o.numClasses, features.shape[1]!, seeds);
    label = embedding.label;
    const projection = apply(tfl.layers.dot({ axes: 1 }), [embedding.embedded, features]);
    logit = apply(tfl.layers.add({ name: 'logit' }), [logits(features, 1, seeds, undefined, true, o.spectralNormalization), projection]);
  }
  const discriminator = tfl.model({ inputs: [image, label], outputs: logit, name: 'discriminator' });
  const name = o.discriminatorConditioning === 'concat' ? 'cgan' : 'cgan-projection';
  return {
    generator,
    discriminator,
    spec: {
      family: 'cgan',
      name,
      imageShape: o.imageShape,
      latentDim: o.latentDim,
      numClasses: o.numClasses,
      conditioning: o.discriminatorConditioning,
      discriminatorOutputs: ['logit'],
      options: o,
    },
  };
}

export type ConditionalDefaults = ReturnType<typeof conditionalDefaults>;

export function conditionalDefaults(options: ConditionalGanOptions, caller: string) {
  const base = dcganDefaults(options, caller);
  const o = { discriminatorConditioning: 'projection' as 'concat' | 'projection', embeddingDim: 50, ...options, ...base };
  checkPositiveInteger(o.numClasses, 'numClasses', caller);
  checkPositiveInteger(o.embeddingDim, 'embeddingDim', caller);
  if (o.discriminatorConditioning !== 'concat' && o.discriminatorConditioning !== 'projection') {
    throw new InvalidArgumentError(`${caller}: discriminatorConditioning must be 'concat' or 'projection', got ${JSON.stringify(o.discriminatorConditioning)}`);
  }
  return o;
}

/** G(z, y): z concatenated with an embedding of y, then the DCGAN generator body. */
export function conditionalGenerator(o: ConditionalDefaults, caller: string): { generator: tfl.LayersModel; seeds: Seeds } {
  const stages = stagesFor(o.imageShape, o.generatorFilters, o.discriminatorFilters, caller);
  const seeds = new Seeds(o.seed);
  const z = tfl.input({ shape: [o.latentDim], name: 'z' });
  const { label, embedded } = labelEmbedding(o.numClasses, o.embeddingDim, seeds);
  const input = apply(tfl.layers.concatenate({ axis: -1 }), [z, embedded]);
  const generator = tfl.model({ inputs: [z, label], outputs: generatorBody(input, stages, o.imageShape, seeds), name: 'generator' });
  return { generator, seeds };
}
