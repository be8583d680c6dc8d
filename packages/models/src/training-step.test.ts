import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createRandom } from '@dgm/core';
import { describeWithBackends } from '@dgm/core/testing';
import * as losses from '@dgm/losses';
import { expect, it } from 'vitest';
import { discriminatorInputs, generatorInputs } from './model-inputs.js';
import { createModel, modelNames } from './registry.js';
import type { Gan } from './spec.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };
const n = 4;

/** D's outputs as a list, in training mode. */
function runD(gan: Gan, images: tf.Tensor, labels: tf.Tensor): tf.Tensor[] {
  return [gan.discriminator.apply(discriminatorInputs(gan.spec, images, labels), { training: true }) as tf.Tensor | tf.Tensor[]].flat();
}

/** Each family's D and G losses, as its recipe will use them. */
function familyLosses(gan: Gan, real: tf.Tensor, z: tf.Tensor, labels: tf.Tensor) {
  const fake = () => gan.generator.apply(generatorInputs(gan.spec, z, labels), { training: true }) as tf.Tensor;
  const classLabels = tf.reshape(labels, [-1]) as tf.Tensor1D;
  const random = createRandom({ seed: 1 });
  switch (gan.spec.family) {
    case 'wgan-gp':
      return {
        d: () => {
          const f = fake();
          const critic = (x: tf.Tensor) => runD(gan, x, labels)[0]!;
          return tf.add(losses.wassersteinDiscriminatorLoss(critic(real), critic(f)), losses.gradientPenalty({ critic, real, fake: f, random })) as tf.Scalar;
        },
        g: () => losses.wassersteinGeneratorLoss(runD(gan, fake(), labels)[0]!),
      };
    case 'acgan':
      return {
        d: () => {
          const [realLogit, realClasses] = runD(gan, real, labels);
          const [fakeLogit, fakeClasses] = runD(gan, fake(), labels);
          const adversarial = losses.minimaxDiscriminatorLoss(realLogit!, fakeLogit!);
          return tf.addN([adversarial, losses.auxiliaryClassifierLoss(realClasses!, classLabels), losses.auxiliaryClassifierLoss(fakeClasses!, classLabels)]) as tf.Scalar;
        },
        g: () => {
          const [logit, classes] = runD(gan, fake(), labels);
          return tf.add(losses.nonSaturatingGeneratorLoss(logit!), losses.auxiliaryClassifierLoss(classes!, classLabels)) as tf.Scalar;
        },
      };
    case 'ssgan':
      return {
        d: () => {
          const [realClasses] = runD(gan, real, labels);
          const [fakeClasses] = runD(gan, fake(), labels);
          return tf.add(losses.semiSupervisedClassLoss(realClasses!, classLabels), losses.semiSupervisedDiscriminatorLoss(realClasses!, fakeClasses!)) as tf.Scalar;
        },
        g: () => losses.featureMatchingLoss(runD(gan, real, labels)[1]!, runD(gan, fake(), labels)[1]!),
      };
    default:
      return {
        d: () => losses.minimaxDiscriminatorLoss(runD(gan, real, labels)[0]!, runD(gan, fake(), labels)[0]!),
        g: () => losses.nonSaturatingGeneratorLoss(runD(gan, fake(), labels)[0]!),
      };
  }
}

const snapshot = (model: tfl.LayersModel) => model.trainableWeights.map((w) => ({ name: w.name, values: Array.from(w.read().dataSync()) }));
const changed = (before: ReturnType<typeof snapshot>, after: ReturnType<typeof snapshot>) =>
  before.map((w, i) => ({ name: w.name, changed: w.values.some((v, j) => v !== after[i]!.values[j]) }));

describeWithBackends(
  'a gradient step',
  () => {
    for (const name of modelNames) {
      it(`${name}: D's step changes every weight of D and none of G; G's step the reverse`, () => {
        const gan = createModel(name, { imageShape: [28, 28, 1], numClasses: 10, generatorFilters: 4, discriminatorFilters: 4, seed: 2 } as never);
        tf.tidy(() => {
          const real = tf.randomUniform([n, 28, 28, 1], -1, 1, 'float32', 3);
          const z = tf.randomNormal([n, gan.spec.latentDim], 0, 1, 'float32', 4);
          const labels = tf.tensor2d([[1], [3], [5], [7]], [n, 1], 'int32');
          const { d, g } = familyLosses(gan, real, z, labels);
          for (const [side, loss, trained, frozen] of [
            ['D', d, gan.discriminator, gan.generator],
            ['G', g, gan.generator, gan.discriminator],
          ] as const) {
            const [trainedBefore, frozenBefore] = [snapshot(trained), snapshot(frozen)];
            const optimizer = tf.train.adam(1e-3);
            const value = optimizer.minimize(loss, true, trained.trainableWeights.map((w) => w.read() as tf.Variable))!;
            expect(Number.isFinite(value.dataSync()[0]), `${name} ${side} loss`).toBe(true);
            optimizer.dispose();
            const moved = changed(trainedBefore, snapshot(trained)).filter((w) => !w.changed).map((w) => w.name);
            expect(moved, `${name}: weights of ${side} its step left unchanged`).toEqual([]);
            const touched = changed(frozenBefore, snapshot(frozen)).filter((w) => w.changed).map((w) => w.name);
            expect(touched, `${name}: weights of the other side changed by ${side}'s step`).toEqual([]);
          }
        });
        gan.generator.dispose();
        gan.discriminator.dispose();
      });
    }
  },
  { init },
);
