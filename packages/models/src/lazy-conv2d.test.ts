import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import * as losses from '@dgm/losses';
import { expect, it } from 'vitest';
import { createDcgan } from './dcgan.js';
import { LazyConv2D } from './lazy-conv2d.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };
const n = 4;

/** A copy of `model` through a save/load round trip: tfjs-layers builds its own Conv2D layers, with the same weights. */
async function stockCopy(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(saved!));
}

/** Runs `fn` and returns, per call of `kernelName` it made, `attr(call)`; the registered kernel is restored after. */
function kernelCalls<T>(kernelName: string, attr: (attrs: tf.NamedAttrMap) => unknown, fn: () => T): { result: T; calls: unknown[] } {
  const backend = tf.getBackend();
  const kernel = tf.getKernel(kernelName, backend)!;
  const calls: unknown[] = [];
  tf.unregisterKernel(kernelName, backend);
  tf.registerKernel({ ...kernel, kernelFunc: (args) => (calls.push(attr(args.attrs ?? {})), kernel.kernelFunc(args)) });
  try {
    return { result: fn(), calls };
  } finally {
    tf.unregisterKernel(kernelName, backend);
    tf.registerKernel(kernel);
  }
}

const variables = (model: tfl.LayersModel) => model.trainableWeights.map((w) => w.read() as tf.Variable);
const values = (tensors: readonly tf.Tensor[]) => tensors.map((t) => Array.from(t.dataSync()));
const kernelShapes = (model: tfl.LayersModel) => model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.getWeights()[0]!.shape);

/** One Adam step of G through D: the loss, G's gradients and G's new weights; the filter shapes Conv2DBackpropFilter was called for. */
function generatorStep(g: tfl.LayersModel, d: tfl.LayersModel, z: tf.Tensor) {
  const optimizer = tf.train.adam(2e-4, 0.5);
  const { result, calls } = kernelCalls('Conv2DBackpropFilter', (a) => a['filterShape'], () =>
    tf.variableGrads(() => losses.nonSaturatingGeneratorLoss(d.apply(g.apply(z, { training: true }), { training: true }) as tf.Tensor), variables(g)),
  );
  const grads = variables(g).map((v) => result.grads[v.name]!);
  optimizer.applyGradients(Object.entries(result.grads).map(([name, tensor]) => ({ name, tensor })));
  const step = { loss: result.value.dataSync()[0], grads: values(grads), weights: values(variables(g)), filterShapes: calls };
  optimizer.dispose();
  tf.dispose([result.value, ...grads]);
  return step;
}

describeWithBackends(
  'LazyConv2D',
  () => {
    it("G's update through D: the stock layer's gradients and Adam step, bit for bit, with no filter gradient of D", async () => {
      const gan = createDcgan({ imageShape: [28, 28, 1], latentDim: 8, generatorFilters: 4, discriminatorFilters: 6, seed: 1 });
      const [g, d] = [await stockCopy(gan.generator), await stockCopy(gan.discriminator)];
      expect(gan.discriminator.layers.filter((l) => l instanceof LazyConv2D)).toHaveLength(2);
      expect(d.layers.filter((l) => l.getClassName() === 'Conv2D' && !(l instanceof LazyConv2D))).toHaveLength(2);
      const z = tf.randomNormal([n, 8], 0, 1, 'float32', 5);
      await expectNoLeakedTensors(() => {
        const stock = generatorStep(g, d, z);
        const lazy = generatorStep(gan.generator, gan.discriminator, z);
        expect(lazy.loss).toBe(stock.loss);
        expect(lazy.grads).toEqual(stock.grads);
        expect(lazy.weights).toEqual(stock.weights);
        // D's convolution kernels are [4, 4, 1, 6] and [4, 4, 6, 12]; G's transposed ones differ.
        const ofD = (shapes: unknown[]) => shapes.filter((s) => kernelShapes(d).some((k) => JSON.stringify(k) === JSON.stringify(s)));
        expect(ofD(stock.filterShapes)).toHaveLength(2);
        expect(ofD(lazy.filterShapes)).toEqual([]);
        expect(lazy.filterShapes).toHaveLength(2); // G's own
      });
      z.dispose();
      [gan.generator, gan.discriminator, g, d].forEach((m) => m.dispose());
    });

    it("D's update: the stock layer's gradients, bit for bit, with no gradient of the images", async () => {
      const gan = createDcgan({ imageShape: [28, 28, 1], latentDim: 8, generatorFilters: 4, discriminatorFilters: 6, seed: 2 });
      const d = await stockCopy(gan.discriminator);
      const [real, fake] = [tf.randomUniform([n, 28, 28, 1], -1, 1, 'float32', 6), tf.randomUniform([n, 28, 28, 1], -1, 1, 'float32', 7)];
      const step = (model: tfl.LayersModel) => {
        const { result, calls } = kernelCalls('Conv2DBackpropInput', (a) => a['inputShape'], () =>
          tf.variableGrads(() => losses.minimaxDiscriminatorLoss(model.apply(real, { training: true }) as tf.Tensor, model.apply(fake, { training: true }) as tf.Tensor), variables(model)),
        );
        const grads = variables(model).map((v) => result.grads[v.name]!);
        const out = { loss: result.value.dataSync()[0], grads: values(grads), imageGradients: calls.filter((s) => JSON.stringify(s) === JSON.stringify(real.shape)).length };
        tf.dispose([result.value, ...grads]);
        return out;
      };
      await expectNoLeakedTensors(() => {
        const [stock, lazy] = [step(d), step(gan.discriminator)];
        expect(lazy.loss).toBe(stock.loss);
        expect(lazy.grads).toEqual(stock.grads);
        expect(stock.imageGradients).toBe(2);
        expect(lazy.imageGradients).toBe(0);
      });
      tf.dispose([real, fake]);
      [gan.generator, gan.discriminator, d].forEach((m) => m.dispose());
    });

    it("is tfjs-layers' Conv2D by name and config, and the stock layer outside a tape", async () => {
      const args = { filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) } as const;
      const x = tf.randomUniform([2, 8, 8, 2], -1, 1, 'float32', 8);
      await expectNoLeakedTensors(() => {
        const [lazy, stock] = [new LazyConv2D({ ...args, name: 'c' }), tfl.layers.conv2d({ ...args, name: 'c' })];
        expect(lazy.getClassName()).toBe('Conv2D');
        expect(lazy.getConfig()).toEqual(stock.getConfig());
        const { result, calls } = kernelCalls('FusedConv2D', () => null, () => tf.tidy(() => [lazy.apply(x), stock.apply(x)].map((t) => Array.from((t as tf.Tensor).dataSync()))));
        expect(result[0]).toEqual(result[1]);
        expect(calls).toHaveLength(2);
        lazy.dispose();
        stock.dispose();
      });
      x.dispose();
    });
  },
  { init },
);
