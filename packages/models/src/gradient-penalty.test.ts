import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRandom } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { gradientPenalty } from '@dgm/losses';
import { expect, it } from 'vitest';
import { createWganGp } from './wgan-gp.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };

/** The gradient penalty of `critic` and its gradient w.r.t. each of the critic's weights. */
function penaltyGradients(critic: tfl.LayersModel, real: tf.Tensor, fake: tf.Tensor) {
  const variables = critic.trainableWeights.map((w) => w.read() as tf.Variable);
  const penalty = () =>
    gradientPenalty({ critic: (x) => critic.apply(x, { training: true }) as tf.Tensor, real, fake, random: createRandom({ seed: 5 }) });
  return { penalty, variables, grads: tf.variableGrads(penalty, variables) };
}

describeWithBackends(
  'gradient penalty through a tfjs-layers critic',
  () => {
    it('has finite gradients for every weight of the WGAN-GP conv critic, non-zero wherever the math allows', async () => {
      const gan = createWganGp({ imageShape: [28, 28, 1], discriminatorFilters: 4, generatorFilters: 4, seed: 1 });
      await expectNoLeakedTensors(() =>
        tf.tidy(() => {
          const real = tf.randomUniform([4, 28, 28, 1], -1, 1, 'float32', 1);
          const fake = tf.randomUniform([4, 28, 28, 1], -1, 1, 'float32', 2);
          const { grads, variables } = penaltyGradients(gan.discriminator, real, fake);
          const critic = (x: tf.Tensor) => gan.discriminator.apply(x, { training: true }) as tf.Tensor;
          // The whole critic loss: Wasserstein term + penalty.
          const total = tf.variableGrads(
            () => tf.add(tf.sub(tf.mean(critic(fake)), tf.mean(critic(real))), gradientPenalty({ critic, real, fake, random: createRandom({ seed: 5 }) })) as tf.Scalar,
            variables,
          );
          expect(Number.isFinite(grads.value.dataSync()[0])).toBe(true);
          // The shift β of the last layer norm only moves the LeakyReLU kinks, on which ∇ₓD depends
          // piecewise-constantly: the penalty's gradient for it is zero (the Wasserstein term's is not).
          const lastShift = variables.filter((v) => v.name.includes('layer_normalization') && v.name.endsWith('/beta')).at(-1)!.name;
          for (const v of variables) {
            const g = grads.grads[v.name]!.dataSync();
            expect(g.every(Number.isFinite), v.name).toBe(true);
            expect(g.some((x) => x !== 0), `${v.name}: penalty gradient`).toBe(v.name !== lastShift);
            expect(total.grads[v.name]!.dataSync().some((x) => x !== 0), `${v.name}: critic loss gradient`).toBe(true);
          }
        }),
      );
      gan.generator.dispose();
      gan.discriminator.dispose();
    });

    it('matches central finite differences on a tiny critic to 1e-2 relative', () => {
      const critic = tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }), biasInitializer: tfl.initializers.randomNormal({ stddev: 0.5, seed: 4 }) }),
          tfl.layers.leakyReLU({ alpha: 0.2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) }),
        ],
      });
      tf.tidy(() => {
        const real = tf.randomUniform([3, 6, 6, 1], -1, 1, 'float32', 6);
        const fake = tf.randomUniform([3, 6, 6, 1], -1, 1, 'float32', 7);
        const { penalty, variables, grads } = penaltyGradients(critic, real, fake);
        const original = variables.map((v) => v.dataSync().slice());
        const h = 1e-3; // small enough that no LeakyReLU input changes sign
        /** (P(w + h·u) − P(w − h·u)) / 2h for a direction u over all weights. */
        const finiteDifference = (direction: Float32Array[]) => {
          const at = (sign: number) => {
            variables.forEach((v, k) => v.assign(tf.tensor(original[k]!.map((w, i) => w + sign * h * direction[k]![i]!), v.shape)));
            return penalty().dataSync()[0]!;
          };
          const value = (at(1) - at(-1)) / (2 * h);
          variables.forEach((v, k) => v.assign(tf.tensor(original[k]!, v.shape)));
          return value;
        };
        // tfjs leaves out weights without a gradient (here D's output bias, which the penalty ignores).
        const gradient = (v: tf.Variable): Float32Array => (grads.grads[v.name]?.dataSync() as Float32Array | undefined) ?? new Float32Array(v.size);
        const analytic = (direction: Float32Array[]) =>
          variables.reduce((sum, v, k) => sum + gradient(v).reduce((s, g, i) => s + g * direction[k]![i]!, 0), 0);
        // Along random directions through all weights, and along each weight on its own.
        const random = createRandom({ seed: 8 });
        const directions: Float32Array[][] = Array.from({ length: 4 }, () => original.map((w) => Float32Array.from(w, () => random.normal())));
        variables.forEach((_, k) =>
          [0, original[k]!.length - 1].forEach((i) => directions.push(original.map((w, j) => Float32Array.from(w, (_, m) => (j === k && m === i ? 1 : 0))))),
        );
        for (const [d, direction] of directions.entries()) {
          const [a, n] = [analytic(direction), finiteDifference(direction)];
          expect(Math.abs(a - n), `direction ${d}: ${a} vs ${n}`).toBeLessThanOrEqual(1e-2 * Math.abs(n) + 2e-4);
        }
      });
      critic.dispose();
    });
  },
  { init },
);
