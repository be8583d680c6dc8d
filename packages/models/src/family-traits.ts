import { describeValue, InvalidArgumentError } from '@dgm/core';
import type { GanFamily, GanSpec } from './spec.js';

/** What a GAN family's models take and what training one needs: the one place that knows. */
export interface FamilyTraits {
  /** G takes [z, label] (conditional GAN, AC-GAN). */
  readonly generatorTakesLabels: boolean;
  /** D takes [image, label] (conditional GAN). */
  readonly discriminatorTakesLabels: boolean;
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
  generatorTakesLabels: false,
  discriminatorTakesLabels: false,
  trainsOnLabels: false,
  trainsOnLabeledSubset: false,
  auxiliaryClassifier: false,
  classLogitsDiscriminator: false,
};

export const familyTraits: Readonly<Record<GanFamily, FamilyTraits>> = {
  dcgan: plain,
  'wgan-gp': plain,
  cgan: { ...plain, generatorTakesLabels: true, discriminatorTakesLabels: true, trainsOnLabels: true },
  acgan: { ...plain, generatorTakesLabels: true, trainsOnLabels: true, auxiliaryClassifier: true },
  ssgan: { ...plain, trainsOnLabeledSubset: true, classLogitsDiscriminator: true },
};

/** The traits of a spec's family. */
export function traitsOf(spec: Pick<GanSpec, 'family'>): FamilyTraits {
  const family = spec?.family;
  if (typeof family !== 'string' || !Object.hasOwn(familyTraits, family)) {
    throw new InvalidArgumentError(`traitsOf: unknown GAN family ${describeValue(family)}; known: ${Object.keys(familyTraits).join(', ')}`);
  }
  return familyTraits[family];
}
