import { parseOptions } from '@dgm/core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { checkPositiveInteger, stagesFor } from './architecture.js';
import { apply, classBias, discriminatorBody, generatorBody, labelEmbedding, labelInput, logits, Seeds } from './blocks.js';
import { registerCustomLayers } from './custom-layers.js';
import { dcganDefaults, type DcganOptions } from './dcgan.js';
import { finite } from './options.js';
import type { Gan } from './spec.js';

export interface ConditionalGanOptions extends DcganOptions {
  readonly numClasses: number;
  /**
   * How D sees the label: 'concat' (the one-hot label concatenated to the input of every
   * layer, Mirza & Osindero 2014, as per-class biases) or 'projection' (Miyato & Koyama 2018).
   * Default 'projection'.
   */
  readonly discriminatorConditioning?: 'concat' | 'projection';
  /** Size of G's label embedding, concatenated to z. Default 50. */
  readonly embeddingDim?: number;
}

/**
 * Class-conditional GAN. G(z, y) reads the label at every layer: z ⧺ embed(y), the embedding
 * N(0, 1)-initialized like PyTorch's nn.Embedding (as in PyTorch-GAN's cgan), so that the
 * label moves G's first layer as much as z does from the first step; then a per-class bias
 * after each transposed convolution, as the one-hot y concatenated to every layer does
 * (carpedm20/DCGAN-tensorflow's conditional MNIST model; `ClassBias`). (An embedding of
 * std 0.02 beside z, given only once, was ignored.) D(x, y) either reads y at every layer the
 * same way, or projects: D(x, y) = ψ(φ(x)) + ⟨embed(y), φ(x)⟩ with φ the features and ψ a
 * linear head.
 */
export function createConditionalGan(options: ConditionalGanOptions): Gan {
  const o = conditionalDefaults(options, 'createConditionalGan');
  const { generator, seeds } = conditionalGenerator(o, 'createConditionalGan');
  const stages = stagesFor(o.imageShape, o.generatorFilters, o.discriminatorFilters, 'createConditionalGan');
  const image = tfl.input({ shape: [...o.imageShape], name: 'image' });
  const label = labelInput();
  const sn = o.spectralNormalization;
  let logit: tfl.SymbolicTensor;
  if (o.discriminatorConditioning === 'concat') {
    const condition = classBias(label, o.numClasses, seeds);
    const features = discriminatorBody(image, stages, o.discriminatorNormalization, seeds, sn, condition);
    logit = condition(logits(features, 1, seeds, undefined, true, sn), { input: features, kernelArea: 1, taps: 1 });
  } else {
    const features = discriminatorBody(image, stages, o.discriminatorNormalization, seeds, sn);
    // Glorot-initialized like ψ, as the embedding of Miyato's own code (sngan_projection).
    const embedded = labelEmbedding(label, o.numClasses, features.shape[1]!, seeds.glorot());
    const projection = apply(tfl.layers.dot({ axes: 1 }), [embedded, features]);
    logit = apply(tfl.layers.add({ name: 'logit' }), [logits(features, 1, seeds, undefined, true, sn), projection]);
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

/** The types of the conditional options beside DCGAN's (numClasses' range is checked after, with its message). */
const conditionalSchema = z.looseObject({
  numClasses: finite.optional(),
  discriminatorConditioning: z.enum(['concat', 'projection']).default('projection'),
  embeddingDim: finite.default(50),
});

export function conditionalDefaults(options: ConditionalGanOptions, caller: string) {
  const own = parseOptions(conditionalSchema, options, caller);
  const base = dcganDefaults(options, caller);
  const o = { ...base, discriminatorConditioning: own.discriminatorConditioning, embeddingDim: own.embeddingDim, numClasses: own.numClasses as number };
  checkPositiveInteger(o.numClasses, 'numClasses', caller);
  checkPositiveInteger(o.embeddingDim, 'embeddingDim', caller);
  registerCustomLayers();
  return o;
}

/** G(z, y): the DCGAN generator on z ⧺ embed(y), with a per-class bias after every hidden transposed convolution. */
export function conditionalGenerator(o: ConditionalDefaults, caller: string): { generator: tfl.LayersModel; seeds: Seeds } {
  const stages = stagesFor(o.imageShape, o.generatorFilters, o.discriminatorFilters, caller);
  const seeds = new Seeds(o.seed);
  const z = tfl.input({ shape: [o.latentDim], name: 'z' });
  const label = labelInput();
  const input = apply(tfl.layers.concatenate({ axis: -1 }), [z, labelEmbedding(label, o.numClasses, o.embeddingDim, seeds.normal(1))]);
  const output = generatorBody(input, stages, o.imageShape, seeds, classBias(label, o.numClasses, seeds));
  return { generator: tfl.model({ inputs: [z, label], outputs: output, name: 'generator' }), seeds };
}
