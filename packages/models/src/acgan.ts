import * as tfl from '@tensorflow/tfjs-layers';
import { stagesFor } from './architecture.js';
import { discriminatorBody, logits } from './blocks.js';
import { conditionalDefaults, conditionalGenerator, type ConditionalGanOptions } from './conditional-gan.js';
import type { Gan } from './spec.js';

export type AcganOptions = Omit<ConditionalGanOptions, 'discriminatorConditioning'>;

/**
 * AC-GAN (Odena et al. 2017): G(z, y) as in the conditional GAN; D(x) has two heads, a
 * real/fake logit and K class logits, and does not see the label.
 */
export function createAcgan(options: AcganOptions): Gan {
  const o = conditionalDefaults({ ...options, discriminatorConditioning: 'concat' }, 'createAcgan');
  const { generator, seeds } = conditionalGenerator(o, 'createAcgan');
  const stages = stagesFor(o.imageShape, o.generatorFilters, o.discriminatorFilters, 'createAcgan');
  const image = tfl.input({ shape: [...o.imageShape], name: 'image' });
  const features = discriminatorBody(image, stages, o.discriminatorNormalization, seeds, o.spectralNormalization);
  const sn = o.spectralNormalization;
  const discriminator = tfl.model({
    inputs: image,
    outputs: [logits(features, 1, seeds, 'logit', true, sn), logits(features, o.numClasses, seeds, 'classes', true, sn)],
    name: 'discriminator',
  });
  const { discriminatorConditioning: _unused, ...recorded } = o;
  return {
    generator,
    discriminator,
    spec: {
      family: 'acgan',
      name: 'acgan',
      imageShape: o.imageShape,
      latentDim: o.latentDim,
      numClasses: o.numClasses,
      conditioning: 'concat',
      discriminatorOutputs: ['logit', 'classes'],
      options: recorded,
    },
  };
}
