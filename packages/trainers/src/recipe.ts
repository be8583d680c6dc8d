import { describeValue, InvalidArgumentError, parseOptions } from '@dgm/core';
import type { DiffAugmentPolicy } from '@dgm/data';
import type { GanFamily } from '@dgm/models';
import { recipeOverrides } from './option-schemas.js';

export type AdversarialLoss = 'minimax' | 'non-saturating' | 'least-squares' | 'hinge' | 'wasserstein';

export interface AdamSettings {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon?: number;
}

/** One phase of a training step: which side trains, how many times, and every how many steps. */
export interface Phase {
  readonly side: 'discriminator' | 'generator';
  /** Updates per step (e.g. 5 critic updates per G update). Default 1. */
  readonly repeat?: number;
  /** Run only on steps divisible by this. Default 1. */
  readonly every?: number;
}

/**
 * How a GAN family trains, as data. Every field can be overridden in `trainGan`'s options.
 * Two optimizers give two learning rates (TTUR, Heusel et al. 2017) and Adam betas per side.
 */
export interface GanRecipe {
  readonly loss: AdversarialLoss;
  readonly regularizers: {
    /** WGAN-GP (Gulrajani et al. 2017), λ. */
    readonly gradientPenalty?: { readonly weight: number };
    /** R1 on real images (Mescheder et al. 2018), γ; lazily every `every` D updates (weight scaled by it). */
    readonly r1?: { readonly weight: number; readonly every?: number };
  };
  readonly optimizers: { readonly generator: AdamSettings; readonly discriminator: AdamSettings };
  readonly phases: readonly Phase[];
  readonly batchSize: number;
  /** One-sided label smoothing of D's real target (minimax loss). */
  readonly labelSmoothing?: number;
  /** AC-GAN: weight of the auxiliary class loss. */
  readonly classLossWeight?: number;
  /**
   * AC-GAN: which images D's class loss covers. 'real-and-fake' is Odena et al.'s; 'real'
   * (default) leaves G's images out, at twice the weight on real ones, as keras' mnist_acgan
   * example does: otherwise D and G agree on class cues of their own in the fakes, which a
   * classifier of real digits does not read.
   */
  readonly discriminatorClassLoss?: 'real' | 'real-and-fake';
  /**
   * Conditional GANs: D also learns that real images with wrong labels are fake (the
   * matching-aware discriminator of Reed et al. 2016: the fake term is the mean of D's loss on
   * G's images and on mismatched real pairs), so that D checks the label from the first steps.
   */
  readonly mismatchedLabels?: boolean;
  /** Semi-supervised GAN: G matches D's mean features (Salimans et al. 2016) instead of fooling it. */
  readonly featureMatching?: boolean;
  /**
   * Before the first step, the data-dependent initialization of D's weight-normalized layers
   * on the first real batch (`initializeWeightNorm` of @dgm/models; Salimans & Kingma 2016).
   */
  readonly weightNormInit?: boolean;
  /** Semi-supervised GAN: weight of D's unsupervised (real vs fake) term beside the supervised one. Default 1. */
  readonly unlabeledWeight?: number;
  /** DiffAugment (Zhao et al. 2020) on real and fake images before D. */
  readonly augment?: readonly DiffAugmentPolicy[];
}

const dcgan: GanRecipe = {
  // Radford et al. 2016: Adam 2e-4, β₁ 0.5, batch 128 (64 here, as in most reimplementations); non-saturating G loss.
  loss: 'non-saturating',
  regularizers: {},
  optimizers: {
    generator: { learningRate: 2e-4, beta1: 0.5, beta2: 0.999 },
    discriminator: { learningRate: 2e-4, beta1: 0.5, beta2: 0.999 },
  },
  phases: [{ side: 'discriminator' }, { side: 'generator' }],
  batchSize: 64,
};

/** Each family's recipe with its paper's hyperparameters. */
export const defaultRecipes: Readonly<Record<GanFamily, GanRecipe>> = {
  dcgan,
  // The DCGAN recipe with a matching-aware D: without it, D learned to tell the label apart
  // only slowly, and G ignored it (GAN-test 59% after 10 minutes on MNIST, bench/conditional).
  cgan: { ...dcgan, mismatchedLabels: true },
  // Odena et al. 2017: Adam 2e-4, β₁ 0.5; the class loss added for both sides. G's adversarial
  // term is the non-saturating one, as in the authors' and nearly every implementation: the
  // saturating −log(1 − D(G(z))) gives G almost no gradient while D wins, and G collapsed.
  // D sees real and fake images through DiffAugment's translation and cutout (Zhao et al. 2020):
  // without it, G soon found images that D's class head, trained on real digits only, read as
  // the asked class and a classifier of real digits did not (bench/conditional: one class at 0%).
  acgan: { ...dcgan, classLossWeight: 1, discriminatorClassLoss: 'real', augment: ['translation', 'cutout'] },
  // Gulrajani et al. 2017: λ = 10, 5 critic updates per G update, Adam 1e-4, β = (0, 0.9).
  'wgan-gp': {
    loss: 'wasserstein',
    regularizers: { gradientPenalty: { weight: 10 } },
    optimizers: {
      generator: { learningRate: 1e-4, beta1: 0, beta2: 0.9 },
      discriminator: { learningRate: 1e-4, beta1: 0, beta2: 0.9 },
    },
    phases: [{ side: 'discriminator', repeat: 5 }, { side: 'generator' }],
    batchSize: 64,
  },
  // Salimans et al. 2016 (MNIST): Adam 3e-3 β₁ 0.5, batch 100, feature matching for G; the
  // authors' code halves each unsupervised term of D's loss (unlabeled weight ½) and starts D's
  // weight-normalized layers with their data-dependent initialization.
  ssgan: {
    loss: 'minimax',
    regularizers: {},
    optimizers: {
      generator: { learningRate: 3e-3, beta1: 0.5, beta2: 0.999 },
      discriminator: { learningRate: 3e-3, beta1: 0.5, beta2: 0.999 },
    },
    phases: [{ side: 'discriminator' }, { side: 'generator' }],
    batchSize: 100,
    featureMatching: true,
    unlabeledWeight: 0.5,
    weightNormInit: true,
  },
};

/** What a caller may override of a recipe: any field, and the optimizers per side and per field. */
export interface GanRecipeOverrides extends Partial<Omit<GanRecipe, 'optimizers'>> {
  readonly optimizers?: { readonly generator?: Partial<AdamSettings>; readonly discriminator?: Partial<AdamSettings> };
}

/**
 * The family's recipe with `overrides` applied (optimizers per side and field), checked: the
 * overrides against the recipe's schema (unknown fields included), then the combination.
 */
export function resolveRecipe(family: GanFamily, overrides: GanRecipeOverrides, caller = 'resolveRecipe'): GanRecipe {
  if (typeof family !== 'string' || !Object.hasOwn(defaultRecipes, family)) {
    throw new InvalidArgumentError(`${caller}: family: expected one of ${Object.keys(defaultRecipes).map((f) => JSON.stringify(f)).join(', ')}, got ${describeValue(family)}`);
  }
  parseOptions(recipeOverrides, overrides, caller);
  const base = defaultRecipes[family];
  const recipe: GanRecipe = {
    ...base,
    ...overrides,
    regularizers: { ...base.regularizers, ...overrides.regularizers },
    optimizers: {
      generator: { ...base.optimizers.generator, ...overrides.optimizers?.generator },
      discriminator: { ...base.optimizers.discriminator, ...overrides.optimizers?.discriminator },
    },
  };
  if (family === 'wgan-gp' && recipe.loss !== 'wasserstein') {
    throw new InvalidArgumentError(`${caller}: a WGAN-GP critic has no bias to train with '${recipe.loss}'; use loss 'wasserstein'`);
  }
  return recipe;
}
