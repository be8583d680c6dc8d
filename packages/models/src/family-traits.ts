import { describeValue, InvalidArgumentError } from '@dgm/core';
import type { GanFamily } from './spec.js';
import type { VaeFamily } from './vae-spec.js';

/** Every family `familyTraits` knows: GANs and VAEs. */
export type ModelFamily = GanFamily | VaeFamily;

/** What a family's models take and what training one needs: the one place that knows. */
export interface FamilyTraits {
  /**
   * Which models the family has and which step trains them: 'gan' (generator and
   * discriminator, `Gan`) or 'vae' (encoder and decoder, `Vae`).
   */
  readonly kind: 'gan' | 'vae';
  /** G takes [z, label] (conditional GAN, AC-GAN); for a VAE, its decoder (CVAE). */
  readonly generatorTakesLabels: boolean;
  /** D takes [image, label] (conditional GAN). */
  readonly discriminatorTakesLabels: boolean;
  /** A VAE's encoder takes [image, label] (CVAE). */
  readonly encoderTakesLabels: boolean;
  /** Training reads the labels of the training images. */
  readonly trainsOnLabels: boolean;
  /** Training needs a small labeled set beside unlabeled images (semi-supervised GAN). */
  readonly trainsOnLabeledSubset: boolean;
  /** D has a class head beside its real/fake logit, trained with the auxiliary-classifier loss (AC-GAN). */
  readonly auxiliaryClassifier: boolean;
  /** D's outputs are K class logits whose log-sum-exp is its real/fake logit (Salimans et al. 2016). */
  readonly classLogitsDiscriminator: boolean;
}

const plain: FamilyTraits = {
  kind: 'gan',
  generatorTakesLabels: false,
  discriminatorTakesLabels: false,
  encoderTakesLabels: false,
  trainsOnLabels: false,
  trainsOnLabeledSubset: false,
  auxiliaryClassifier: false,
  classLogitsDiscriminator: false,
};

export const familyTraits: Readonly<Record<ModelFamily, FamilyTraits>> = {
  dcgan: plain,
  'wgan-gp': plain,
  cgan: { ...plain, generatorTakesLabels: true, discriminatorTakesLabels: true, trainsOnLabels: true },
  acgan: { ...plain, generatorTakesLabels: true, trainsOnLabels: true, auxiliaryClassifier: true },
  ssgan: { ...plain, trainsOnLabeledSubset: true, classLogitsDiscriminator: true },
  vae: { ...plain, kind: 'vae' },
  cvae: { ...plain, kind: 'vae', generatorTakesLabels: true, encoderTakesLabels: true, trainsOnLabels: true },
};

/** The families of one kind, in `familyTraits`' order. */
export function familiesOf<K extends FamilyTraits['kind']>(kind: K): (K extends 'gan' ? GanFamily : VaeFamily)[] {
  return (Object.keys(familyTraits) as ModelFamily[]).filter((family) => familyTraits[family].kind === kind) as never;
}

/** The traits of a spec's family (a GAN's or a VAE's). */
export function traitsOf(spec: { readonly family: ModelFamily }): FamilyTraits {
  const family = spec?.family;
  if (typeof family !== 'string' || !Object.hasOwn(familyTraits, family)) {
    throw new InvalidArgumentError(`traitsOf: unknown model family ${describeValue(family)}; known: ${Object.keys(familyTraits).join(', ')}`);
  }
  return familyTraits[family];
}
