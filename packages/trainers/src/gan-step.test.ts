import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { createRandom } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import { Adam } from './adam.js';
import { GanStep } from './gan-step.js';
import { objectives, type StepBatch } from './objectives.js';
import { resolveRecipe } from './recipe.js';
import { disposeGan, tinyGan } from './toy.test-helper.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };
const n = 6;
const weightsOf = (gan: ReturnType<typeof tinyGan>) => [gan.generator, gan.discriminator].flatMap((m) => m.getWeights().map((w) => Array.from(w.dataSync())));

describeWithBackends(
  'GanStep',
  () => {
    it("D's update makes G's images off its tape, G's update on it", async () => {
      const gan = tinyGan('dcgan');
      const step = new GanStep(gan, resolveRecipe('dcgan', {}), {});
      const draw = async () => ({ images: tf.randomUniform([n, 28, 28, 1], -1, 1, 'float32', 1) as tf.Tensor4D });
      // Tanh is G's last activation and nowhere in D or the losses: the gradient depth at each call says whose tape G ran on.
      const backend = tf.getBackend();
      const tanh = tf.getKernel('Tanh', backend)!;
      const depths: number[] = [];
      tf.unregisterKernel('Tanh', backend);
      tf.registerKernel({ ...tanh, kernelFunc: (args) => (depths.push(tf.engine().state.gradientDepth), tanh.kernelFunc(args)) });
      try {
        await expectNoLeakedTensors(async () => {
          const { values } = await step.run({ draw, random: createRandom({ seed: 2 }), step: 0, totalSteps: 1 });
          tf.dispose(Object.values(values) as tf.Tensor[]);
        });
      } finally {
        tf.unregisterKernel('Tanh', backend);
        tf.registerKernel(tanh);
        step.dispose();
        disposeGan(gan);
      }
      expect(depths).toEqual([0, 1]);
    });

    it("D's update on G's images made off its tape equals the one that makes them on it, bit for bit", async () => {
      const recipe = resolveRecipe('wgan-gp', {});
      const update = (offTape: boolean) => {
        const gan = tinyGan('wgan-gp', 3);
        const { discriminator, fakes } = objectives(gan, recipe);
        const adam = new Adam(gan.discriminator.trainableWeights.map((w) => w.read() as tf.Variable), recipe.optimizers.discriminator);
        const batch: StepBatch = {
          real: tf.randomUniform([n, 28, 28, 1], -1, 1, 'float32', 4) as tf.Tensor4D,
          realLabels: tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'),
          z: tf.randomNormal([n, gan.spec.latentDim], 0, 1, 'float32', 5) as tf.Tensor2D,
          random: createRandom({ seed: 6 }),
          discriminatorStep: 0,
        };
        const made = offTape ? tf.tidy(() => fakes(batch)) : undefined;
        const loss = adam.minimize(() => discriminator({ ...batch, fakes: made ?? fakes(batch) }, () => {}));
        // G's batch-norm statistics move in its forward pass, D's weights in the update.
        const result = { loss: loss.dataSync()[0], weights: weightsOf(gan) };
        tf.dispose([loss, made, batch.real, batch.realLabels, batch.z].filter((t) => t !== undefined));
        adam.dispose();
        disposeGan(gan);
        return result;
      };
      const [on, off] = await expectNoLeakedTensors(() => [update(false), update(true)]);
      expect(off.loss).toBe(on.loss);
      expect(off.weights).toEqual(on.weights);
    });
  },
  { init },
);
