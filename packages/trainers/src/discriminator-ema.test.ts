import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend } from '@dgm/core';
import { subset, takePerClass } from '@dgm/data';
import { accuracy } from '@dgm/metrics';
import { discriminatorClassifier } from '@dgm/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from './checkpoint-store.js';
import { evaluateClassifier } from './evaluate-classifier.js';
import { loadGanRun } from './load-gan-run.js';
import { disposeGan, tinyGan, toyData } from './toy.test-helper.js';
import { trainGan, type TrainGanOptions } from './train-gan.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

const data = toyData();
const values = (model: { getWeights(): tf.Tensor[] }) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe("trainGan's discriminatorEma", () => {
  it("averages D's weights after each D update with the warmed-up rate, and resumes exactly", async () => {
    const options = (gan: ReturnType<typeof tinyGan>): TrainGanOptions => ({ gan, data, batchSize: 10, seed: 2, ema: false, discriminatorEma: { decay: 0.9 } });
    const gan = tinyGan('acgan');
    const initial = values(gan.discriminator);
    const trainable = gan.discriminator.weights.map((w) => w.trainable);
    const one = await trainGan({ ...options(gan), steps: 1 });
    // After D's first update: d = min(0.9, 2/11). (Its batch-norm statistics, copied then, have moved since in G's update.)
    const d = 2 / 11;
    const after = values(gan.discriminator);
    values(one.discriminatorEma!).forEach((average, i) => {
      if (trainable[i]) average.forEach((v, j) => expect(v).toBeCloseTo(d * initial[i]![j]! + (1 - d) * after[i]![j]!, 6));
    });
    one.discriminatorEma!.dispose();
    disposeGan(gan);

    const straight = tinyGan('acgan');
    const whole = await trainGan({ ...options(straight), steps: 5 });
    const store = memoryStore();
    const interrupted = tinyGan('acgan');
    (await trainGan({ ...options(interrupted), steps: 2, store })).discriminatorEma!.dispose();
    const resumed = tinyGan('acgan', 99);
    const rest = await trainGan({ ...options(resumed), steps: 5, store, resume: true });
    expect(values(rest.discriminatorEma!)).toEqual(values(whole.discriminatorEma!));
    expect(values(rest.discriminatorEma!)).not.toEqual(values(resumed.discriminator));
    const run = await loadGanRun({ store });
    expect(values(run.discriminatorEma!)).toEqual(values(whole.discriminatorEma!));
    for (const m of [whole.discriminatorEma!, rest.discriminatorEma!, run.discriminatorEma!]) m.dispose();
    for (const g of [straight, interrupted, resumed, run.gan]) disposeGan(g);
  });

  it('gives a semi-supervised D that classifies held-out images, scored the same by evaluateClassifier and by accuracy of its logits', async () => {
    const gan = tinyGan('ssgan-conv');
    const labeled = takePerClass({ dataset: data, perClass: 4, seed: 1 });
    const result = await trainGan({ gan, data, labeled, batchSize: 12, steps: 40, seed: 4, ema: false, discriminatorEma: { decay: 0.9 } });
    const heldOut = subset(toyData(96), Array.from({ length: 48 }, (_, i) => 48 + i));
    const before = tf.memory().numTensors;
    const classifier = discriminatorClassifier({ gan, discriminator: result.discriminatorEma! });
    const evaluation = await evaluateClassifier({ model: classifier, data: heldOut });
    const logits = tf.tidy(() => {
      const images = tf.sub(tf.div(tf.tensor4d(heldOut.images, [48, 28, 28, 1], 'float32'), 127.5), 1);
      return (result.discriminatorEma!.predict(images) as tf.Tensor[])[0]!.dataSync() as Float32Array;
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(evaluation.accuracy).toBe(accuracy({ scores: { values: logits, count: 48, dim: 3 }, labels: heldOut.labels! }).accuracy);
    expect(evaluation.accuracy).toBeGreaterThan(0.8); // chance: 1/3
    classifier.dispose();
    result.discriminatorEma!.dispose();
    disposeGan(gan);
  });

  it('refuses a decay outside (0, 1) before building anything', async () => {
    const gan = tinyGan('dcgan');
    const before = tf.memory().numTensors;
    await expect(trainGan({ gan, data, steps: 1, discriminatorEma: { decay: 1 } })).rejects.toThrow(/discriminatorEma/);
    await expect(trainGan({ gan, data, steps: 1, discriminatorEma: 0.9 as never })).rejects.toThrow(/discriminatorEma/);
    expect(tf.memory().numTensors).toBe(before);
    disposeGan(gan);
  });
});
