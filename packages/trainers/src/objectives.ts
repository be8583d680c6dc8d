import * as tf from '@tensorflow/tfjs-core';
import type { Random } from '@dgm/core';
import { diffAugment } from '@dgm/data';
import * as losses from '@dgm/losses';
import { discriminatorInputs, generatorInputs, traitsOf, type Gan } from '@dgm/models';
import type { GanRecipe } from './recipe.js';

/** What one update sees: real images (and labels), latents and the labels asked of G. */
export interface StepBatch {
  readonly real: tf.Tensor4D;
  /** [n] int32 labels of the real images (labeled families, and the labeled batch of SSGAN). */
  readonly realLabels?: tf.Tensor1D;
  readonly z: tf.Tensor2D;
  /** [n] int32 labels for the fake images of conditional families. */
  readonly fakeLabels?: tf.Tensor1D;
  /** SSGAN: a labeled batch for the supervised term. */
  readonly labeled?: { readonly images: tf.Tensor4D; readonly labels: tf.Tensor1D };
  /** Draws of the penalties and augmentation. */
  readonly random: Random;
  /** D updates so far (for lazy regularization). */
  readonly discriminatorStep: number;
}

/** A side's loss; `record` collects its named terms for the step's logs. */
export type Objective<B extends StepBatch = StepBatch> = (batch: B, record: (name: string, value: tf.Scalar) => void) => tf.Scalar;

/** D's update also sees G's images of the batch, made before its tape (see `objectives`). */
export interface DiscriminatorBatch extends StepBatch {
  readonly fakes: tf.Tensor;
}

const column = (labels: tf.Tensor1D | undefined) => (labels === undefined ? undefined : (tf.reshape(labels, [-1, 1]) as tf.Tensor2D));

/** Labels that differ from `labels`: each shifted by a random 1 … K − 1 classes. */
function mismatched(labels: tf.Tensor1D, numClasses: number, random: Random): tf.Tensor1D {
  const shifts = Int32Array.from({ length: labels.shape[0] }, () => 1 + random.int(numClasses - 1));
  return tf.mod(tf.add(labels, tf.tensor1d(shifts, 'int32')), tf.scalar(numClasses, 'int32'));
}

/**
 * D's and G's objectives of `gan` under `recipe`, and G's images for D's update: the caller
 * makes them before D's tape, since D's update does not differentiate G (recorded, G's forward
 * would only have its tensors copied for a backward pass that never reaches it).
 */
export function objectives(gan: Gan, recipe: GanRecipe): { discriminator: Objective<DiscriminatorBatch>; generator: Objective; fakes: (batch: StepBatch) => tf.Tensor } {
  const { spec } = gan;
  const traits = traitsOf(spec);
  const augment = (images: tf.Tensor, random: Random) =>
    recipe.augment === undefined || recipe.augment.length === 0 ? images : diffAugment({ images: images as tf.Tensor4D, random, policy: recipe.augment });
  const fake = (b: StepBatch) => gan.generator.apply(generatorInputs(spec, b.z, column(b.fakeLabels)), { training: true }) as tf.Tensor;
  const d = (images: tf.Tensor, labels: tf.Tensor1D | undefined, random: Random) =>
    [gan.discriminator.apply(discriminatorInputs(spec, augment(images, random), column(labels)), { training: true }) as tf.Tensor | tf.Tensor[]].flat();
  const [dLoss, gLoss] = adversarial(recipe);

  const discriminator: Objective<DiscriminatorBatch> = (b, record) => {
    const { fakes } = b;
    const realOut = d(b.real, b.realLabels, b.random);
    const fakeOut = d(fakes, b.fakeLabels, b.random);
    let total: tf.Scalar;
    if (traits.classLogitsDiscriminator) {
      const supervised = losses.semiSupervisedClassLoss(d(b.labeled!.images, undefined, b.random)[0]!, b.labeled!.labels);
      const unsupervised = tf.mul(losses.semiSupervisedDiscriminatorLoss(realOut[0]!, fakeOut[0]!), recipe.unlabeledWeight ?? 1);
      record('classLoss', supervised);
      total = tf.add(supervised, unsupervised);
    } else if (recipe.mismatchedLabels === true && traits.discriminatorTakesLabels && (spec.numClasses ?? 0) > 1) {
      const mismatchedOut = d(b.real, mismatched(b.realLabels!, spec.numClasses!, b.random), b.random);
      total = tf.mul(tf.add(dLoss(realOut[0]!, fakeOut[0]!), dLoss(realOut[0]!, mismatchedOut[0]!)), 0.5) as tf.Scalar;
    } else {
      total = dLoss(realOut[0]!, fakeOut[0]!);
      if (traits.auxiliaryClassifier) {
        const real = losses.auxiliaryClassifierLoss(realOut[1]!, b.realLabels!);
        const classes = (recipe.discriminatorClassLoss === 'real-and-fake' ? tf.add(real, losses.auxiliaryClassifierLoss(fakeOut[1]!, b.fakeLabels!)) : tf.mul(real, 2)) as tf.Scalar;
        record('classLoss', classes);
        total = tf.add(total, tf.mul(classes, recipe.classLossWeight ?? 1));
      }
    }
    const { gradientPenalty, r1 } = recipe.regularizers;
    if (gradientPenalty !== undefined) {
      // The penalty needs one critic output per image: a conditional critic sees the real labels.
      const critic = (x: tf.Tensor) => d(x, b.realLabels, b.random)[0]!;
      const penalty = losses.gradientPenalty({ critic, real: b.real, fake: fakes, random: b.random, weight: gradientPenalty.weight });
      record('gradientPenalty', penalty);
      total = tf.add(total, penalty);
    }
    if (r1 !== undefined && b.discriminatorStep % (r1.every ?? 1) === 0) {
      const penalty = losses.r1Penalty({ discriminator: (x) => d(x, b.realLabels, b.random)[0]!, real: b.real, weight: r1.weight * (r1.every ?? 1) });
      record('r1Penalty', penalty);
      total = tf.add(total, penalty);
    }
    return total as tf.Scalar;
  };

  const generator: Objective = (b) => {
    const fakeOut = d(fake(b), b.fakeLabels, b.random);
    if (traits.classLogitsDiscriminator) {
      return recipe.featureMatching === false
        ? losses.semiSupervisedGeneratorLoss(fakeOut[0]!)
        : losses.featureMatchingLoss(d(b.real, undefined, b.random)[1]!, fakeOut[1]!);
    }
    let total = gLoss(fakeOut[0]!);
    if (traits.auxiliaryClassifier) total = tf.add(total, tf.mul(losses.auxiliaryClassifierLoss(fakeOut[1]!, b.fakeLabels!), recipe.classLossWeight ?? 1)) as tf.Scalar;
    return total;
  };
  return { discriminator, generator, fakes: fake };
}

function adversarial(recipe: GanRecipe): [(real: tf.Tensor, fake: tf.Tensor) => tf.Scalar, (fake: tf.Tensor) => tf.Scalar] {
  switch (recipe.loss) {
    case 'minimax':
      return [(r, f) => losses.minimaxDiscriminatorLoss(r, f, { labelSmoothing: recipe.labelSmoothing ?? 0 }), losses.minimaxGeneratorLoss];
    case 'non-saturating':
      return [(r, f) => losses.minimaxDiscriminatorLoss(r, f, { labelSmoothing: recipe.labelSmoothing ?? 0 }), losses.nonSaturatingGeneratorLoss];
    case 'least-squares':
      return [losses.leastSquaresDiscriminatorLoss, losses.leastSquaresGeneratorLoss];
    case 'hinge':
      return [losses.hingeDiscriminatorLoss, losses.hingeGeneratorLoss];
    case 'wasserstein':
      return [losses.wassersteinDiscriminatorLoss, losses.wassersteinGeneratorLoss];
  }
}
