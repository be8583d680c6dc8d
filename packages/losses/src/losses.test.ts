import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { createRandom, InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import * as losses from './index.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };

/** loss(...inputs) as a number, checking that it is a scalar and leaves no tensor behind. */
async function value(fn: () => tf.Tensor): Promise<number> {
  return expectNoLeakedTensors(() =>
    tf.tidy(() => {
      const out = fn();
      expect(out.shape).toEqual([]);
      return out.dataSync()[0]!;
    }),
  );
}

// Expected values are written from the formulas (evaluated in float64 by hand/numpy), not from this code.
// D logits: real = [2, −1], fake = [0.5, −2]; softplus(x) = log(1 + eˣ).
const real = () => tf.tensor1d([2, -1]);
const fake = () => tf.tensor1d([0.5, -2]);

describeWithBackends(
  'losses',
  () => {
    it('adversarial losses, both sides', async () => {
      const cases: [string, () => tf.Tensor, number][] = [
        // mean softplus(−real) + mean softplus(fake)
        ['minimax D', () => losses.minimaxDiscriminatorLoss(real(), fake()), 1.2705973468921372],
        // real target 0.9: mean(softplus(real) − 0.9·real) + mean softplus(fake)
        ['minimax D, label smoothing 0.1', () => losses.minimaxDiscriminatorLoss(real(), fake(), { labelSmoothing: 0.1 }), 1.3205973468921375],
        // −mean softplus(fake)
        ['minimax G', () => losses.minimaxGeneratorLoss(fake()), -0.5505024976115396],
        // mean softplus(−fake)
        ['non-saturating G', () => losses.nonSaturatingGeneratorLoss(fake()), 1.3005024976115398],
        // ½[((2−1)² + (−1−1)²)/2 + (0.5² + 2²)/2] = ½[2.5 + 2.125]
        ['least squares D', () => losses.leastSquaresDiscriminatorLoss(real(), fake()), 2.3125],
        // ½[((0.5−1)² + (−2−1)²)/2] = ½·4.625
        ['least squares G', () => losses.leastSquaresGeneratorLoss(fake()), 2.3125],
        // mean(max(0, 1−2), max(0, 1+1)) + mean(max(0, 1.5), max(0, −1)) = 1 + 0.75
        ['hinge D', () => losses.hingeDiscriminatorLoss(real(), fake()), 1.75],
        ['hinge G', () => losses.hingeGeneratorLoss(fake()), 0.75],
        // mean(fake) − mean(real) = −0.75 − 0.5
        ['Wasserstein D', () => losses.wassersteinDiscriminatorLoss(real(), fake()), -1.25],
        ['Wasserstein G', () => losses.wassersteinGeneratorLoss(fake()), 0.75],
      ];
      for (const [name, fn, expected] of cases) expect(await value(fn), name).toBeCloseTo(expected, 5);
    });

    it('feature matching, auxiliary classifier and semi-supervised losses', async () => {
      // means [2, 3] and [1, 1]: 1² + 2²
      expect(await value(() => losses.featureMatchingLoss(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[0, 0], [2, 2]])))).toBeCloseTo(5, 5);
      const logits = () => tf.tensor2d([[1, 2, 3], [0, 0, 0]]);
      const labels = () => tf.tensor1d([2, 1], 'int32');
      // mean(log(e + e² + e³) − 3, log 3 − 0)
      expect(await value(() => losses.auxiliaryClassifierLoss(logits(), labels()))).toBeCloseTo(0.753109126556245, 5);
      expect(await value(() => losses.semiSupervisedClassLoss(logits(), labels()))).toBeCloseTo(0.753109126556245, 5);
      expect(await value(() => losses.crossEntropyLoss(logits(), labels()))).toBeCloseTo(0.753109126556245, 5);
      // targets (1 − 0.3)·onehot + 0.1: mean(log(e + e² + e³) − 2.7, log 3 − 0)
      expect(await value(() => losses.crossEntropyLoss(logits(), labels(), { labelSmoothing: 0.3 }))).toBeCloseTo(0.9031091265562451, 5);
      const fakeLogits = () => tf.tensor2d([[-1, 0, 1], [2, 2, 2]]);
      // s = logsumexp per row: mean(softplus(s_r) − s_r) + mean softplus(s_f)
      expect(await value(() => losses.semiSupervisedDiscriminatorLoss(logits(), fakeLogits()))).toBeCloseTo(2.544762649186093, 5);
      expect(await value(() => losses.semiSupervisedGeneratorLoss(fakeLogits()))).toBeCloseTo(0.13152061934555015, 5);
    });

    it('VAE terms', async () => {
      // per example Σ softplus(l) − x·l, mean over the batch
      expect(await value(() => losses.bernoulliReconstructionLoss(tf.tensor2d([[0, 1], [2, -1]]), tf.tensor2d([[0, 1], [1, 0.5]])))).toBeCloseTo(0.9732992833196817, 5);
      // ½[(1−0)² + log 2π] + ½[0 + log 2π] = ½ + log 2π
      expect(await value(() => losses.gaussianReconstructionLoss(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 1]])))).toBeCloseTo(0.5 + Math.log(2 * Math.PI), 5);
      // σ² = 2: ½[1/2 + log 2 + log 2π] + ½[log 2 + log 2π]
      expect(await value(() => losses.gaussianReconstructionLoss(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 1]]), { logVariance: Math.log(2) }))).toBeCloseTo(2.7810242469692907, 5);
      // μ = [1, 0], log σ² = [0, log 2]: −½[(1 + 0 − 1 − 1) + (1 + log 2 − 0 − 2)] = 1 − ½ log 2
      const kl = () => losses.gaussianKlDivergence(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, Math.log(2)]]));
      expect(await value(kl)).toBeCloseTo(1 - Math.log(2) / 2, 5);
      expect(await value(() => losses.elboLoss({ reconstruction: tf.scalar(3), kl: tf.scalar(2), beta: 4 }))).toBeCloseTo(11, 5);
    });

    it('gradient penalty and R1 of a linear critic D(x) = Σ w·x, whose gradient is w everywhere', async () => {
      const w = () => tf.tensor2d([[3, 4]]); // ‖w‖ = 5
      const critic = (x: tf.Tensor) => tf.sum(tf.mul(x, w()), 1);
      const random = createRandom({ seed: 1 });
      // λ(‖w‖ − 1)² = 10·16, whatever the interpolation
      expect(await value(() => losses.gradientPenalty({ critic, real: tf.tensor2d([[1, 2], [3, 4]]), fake: tf.zeros([2, 2]), random }))).toBeCloseTo(160, 3);
      // γ/2·‖w‖² = 5·25
      expect(await value(() => losses.r1Penalty({ discriminator: critic, real: tf.tensor2d([[1, 2], [3, 4]]) }))).toBeCloseTo(125, 3);
      expect(await value(() => losses.gradientPenalty({ critic, real: tf.ones([2, 2]), fake: tf.zeros([2, 2]), random, weight: 1, target: 5 }))).toBeCloseTo(0, 4);
    });

    it('rejects bad inputs with typed errors', () => {
      tf.tidy(() => {
        expect(() => losses.hingeDiscriminatorLoss(tf.tensor1d([1, 2], 'int32'), fake())).toThrow(/real must be float32, got int32/);
        expect(() => losses.wassersteinGeneratorLoss(tf.tensor1d([]))).toThrow(/fake is empty/);
        expect(() => losses.minimaxDiscriminatorLoss(real(), fake(), { labelSmoothing: 1 })).toThrow(/labelSmoothing must be in \[0, 1\)/);
        expect(() => losses.auxiliaryClassifierLoss(tf.ones([2, 3]), tf.tensor1d([0, 1, 2], 'int32'))).toThrow(ShapeMismatchError);
        expect(() => losses.auxiliaryClassifierLoss(tf.ones([2, 3]), tf.tensor1d([0, 1]))).toThrow(InvalidArgumentError);
        expect(() => losses.featureMatchingLoss(tf.ones([2, 3]), tf.ones([2, 4]))).toThrow(/must match past the batch axis/);
        expect(() => losses.gradientPenalty({ critic: (x) => x, real: tf.ones([2, 2]), fake: tf.ones([3, 2]), random: createRandom({ seed: 0 }) })).toThrow(ShapeMismatchError);
        expect(() => losses.bernoulliReconstructionLoss(tf.ones([2, 2]), tf.ones([2, 3]))).toThrow(/must have the same shape/);
      });
    });
  },
  { init },
);
