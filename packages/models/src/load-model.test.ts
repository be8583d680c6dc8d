import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { expect, it } from 'vitest';
import { createDcgan } from './dcgan.js';
import { LazyConv2D } from './lazy-conv2d.js';
import { loadModelArtifacts, modelArtifacts } from './load-model.js';

const init = { loaders: { '@dgm/kernels': () => import('@dgm/kernels') } };

const convolutions = (model: tfl.LayersModel) => model.layers.filter((l) => l.getClassName() === 'Conv2D');

describeWithBackends(
  'loadModelArtifacts',
  () => {
    it("builds LazyConv2D for Conv2D, with the saved weights; tfjs's own loader still builds its Conv2D", async () => {
      const { generator, discriminator } = createDcgan({ imageShape: [28, 28, 1], latentDim: 8, generatorFilters: 4, discriminatorFilters: 4, seed: 4 });
      const artifacts = await modelArtifacts(discriminator);
      const images = tf.randomUniform([3, 28, 28, 1], -1, 1, 'float32', 2);
      await expectNoLeakedTensors(async () => {
        const [loaded, stock] = [await loadModelArtifacts(artifacts), await tfl.loadLayersModel(tf.io.fromMemory(artifacts))];
        expect(convolutions(loaded).map((l) => l instanceof LazyConv2D)).toEqual([true, true]);
        expect(convolutions(stock).map((l) => l instanceof LazyConv2D)).toEqual([false, false]);
        expect(loaded.weights.map((w) => w.originalName)).toEqual(discriminator.weights.map((w) => w.originalName));
        const outputs = tf.tidy(() => [discriminator, loaded, stock].map((m) => Array.from((m.predict(images) as tf.Tensor).dataSync())));
        expect(outputs[1]).toEqual(outputs[0]);
        expect(outputs[2]).toEqual(outputs[0]);
        expect(JSON.stringify((await modelArtifacts(loaded)).modelTopology)).toBe(JSON.stringify(artifacts.modelTopology));
        loaded.dispose();
        stock.dispose();
      });
      images.dispose();
      generator.dispose();
      discriminator.dispose();
    });

    it('refuses weights that do not match the topology, leaving no tensor behind', async () => {
      const { generator, discriminator } = createDcgan({ imageShape: [28, 28, 1], latentDim: 8, generatorFilters: 4, discriminatorFilters: 4, seed: 4 });
      const artifacts = await modelArtifacts(discriminator);
      const [first, ...rest] = artifacts.weightSpecs!;
      const bytes = first!.shape.reduce((a, b) => a * b, 4);
      const truncated = { ...artifacts, weightSpecs: rest, weightData: (artifacts.weightData as ArrayBuffer).slice(bytes) };
      await expectNoLeakedTensors(() => expect(loadModelArtifacts(truncated)).rejects.toThrow(/weight/i));
      generator.dispose();
      discriminator.dispose();
    });
  },
  { init },
);
