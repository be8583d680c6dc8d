import '@tensorflow/tfjs-layers';
import { initBackend } from '@dgm/core';
import { takePerClass } from '@dgm/data';
import { createSemiSupervisedGan } from '@dgm/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeGan, tinyGan, toyData } from './toy.test-helper.js';
import { trainGan } from './train-gan.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

const data = toyData();
const labeled = takePerClass({ dataset: data, perClass: 4, seed: 1 });

describe("the semi-supervised GAN's recipe", () => {
  it("weighs D's unsupervised term by unlabeledWeight: at 0, D's loss is its class loss", async () => {
    const gan = tinyGan('ssgan-conv');
    const { logs } = await trainGan({ gan, data, labeled, batchSize: 12, steps: 1, ema: false, unlabeledWeight: 0 });
    expect(logs!['dLoss']).toBeCloseTo(logs!['classLoss']!, 6);
    const half = await trainGan({ gan, data, labeled, batchSize: 12, steps: 1, ema: false });
    expect(half.logs!['dLoss']! - half.logs!['classLoss']!).toBeGreaterThan(0.1);
    disposeGan(gan);
  });

  it("initializes D's weight-normalized layers from the first real batch (weightNormInit, on by default)", async () => {
    const scales = async (weightNormInit: boolean) => {
      const gan = createSemiSupervisedGan({ variant: 'mlp', imageShape: [28, 28, 1], numClasses: 3, seed: 2 });
      await trainGan({ gan, data, labeled, batchSize: 12, steps: 1, ema: false, weightNormInit });
      const g = Array.from(gan.discriminator.getLayer('classes').getWeights()[1]!.dataSync());
      disposeGan(gan);
      return Math.max(...g.map((v) => Math.abs(v - 1)));
    };
    // One Adam step at 3e-3 moves g (initially 1) by about 3e-3; the initialization by far more.
    expect(await scales(false)).toBeLessThan(0.01);
    expect(await scales(true)).toBeGreaterThan(0.05);
  });
});
