import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { CheckpointError, InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { describeWithBackends, expectFailureWithoutLeaks, expectNoLeakedTensors } from '@dgm/core/testing';
import { fromArrays } from '@dgm/data';
import { createCvae, createVae, type Vae } from '@dgm/models';
import { loadVae } from '@dgm/models/node';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { memoryStore } from './checkpoint-store.js';
import { fileSystemStore } from './node/file-system-store.js';
import { toyData } from './toy.test-helper.js';
import { trainVae, type TrainVaeOptions } from './train-vae.js';

const data = toyData();
const tiny = { imageShape: [28, 28, 1], latentDim: 4, encoderFilters: 4, decoderFilters: 4 } as const;
const tinyVae = (seed = 1) => createVae({ ...tiny, seed });
const tinyCvae = (seed = 1) => createCvae({ ...tiny, numClasses: 3, seed });
const dispose = (vae: Vae) => [vae.encoder, vae.decoder].forEach((m) => m.dispose());
const weights = (vae: Vae) => [vae.encoder, vae.decoder].flatMap((m) => m.getWeights().map((w) => Array.from(w.dataSync())));
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Each step's logs, as a callback sees them. */
function recorder(): { logs: Record<string, number>[]; callback: { onBatchEnd(step: number, logs: Record<string, number>): void } } {
  const logs: Record<string, number>[] = [];
  return { logs, callback: { onBatchEnd: (_step, l) => void logs.push(l) } };
}

let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'dgm-vae-'));
});
afterEach(() => rm(runDir, { recursive: true, force: true }));

describeWithBackends('trainVae', () => {
  it('lowers the negative ELBO on a toy dataset, logging loss = reconstruction + β·KL with β warming up', async () => {
    const vae = tinyVae();
    const { logs, callback } = recorder();
    await expectNoLeakedTensors(() => trainVae({ vae, data, steps: 60, batchSize: 16, seed: 2, binarize: 'dynamic', klWarmup: 10, beta: 2, optimizer: { learningRate: 5e-3 }, callbacks: [callback] }));
    expect(logs.slice(0, 3).map((l) => l['beta'])).toEqual([0.2, 0.4, 0.6].map((b) => expect.closeTo(b, 12)));
    expect(logs.at(-1)!['beta']).toBe(2);
    for (const l of logs) expect(l['loss']).toBeCloseTo(l['reconstruction']! + l['beta']! * l['kl']!, 3);
    const elbo = (l: Record<string, number>) => l['reconstruction']! + l['kl']!;
    expect(mean(logs.slice(-10).map(elbo))).toBeLessThan(0.6 * mean(logs.slice(0, 5).map(elbo)));
    dispose(vae);
  });

  it('resumes exactly: 3 steps + resume + 4 steps give the weights and logs of 7 steps (dynamic and static binarization)', async () => {
    for (const [binarize, make] of [['dynamic', tinyVae], ['static', tinyCvae]] as const) {
      const options = (vae: Vae): TrainVaeOptions => ({ vae, data, batchSize: 10, seed: 3, binarize, klWarmup: 5 });
      const straight = make();
      const whole = await trainVae({ ...options(straight), steps: 7 });
      const interrupted = make();
      const dir = join(runDir, binarize);
      await trainVae({ ...options(interrupted), steps: 3, store: fileSystemStore({ runDir: dir }) });
      const resumed = make(99); // other initial weights: everything must come from the checkpoint
      const rest = await trainVae({ ...options(resumed), steps: 7, store: fileSystemStore({ runDir: dir }), resume: true });
      expect(rest.step).toBe(7);
      expect(weights(resumed)).toEqual(weights(straight));
      expect(rest.logs).toEqual({ ...whole.logs, ms: rest.logs!['ms'], imagesPerSecond: rest.logs!['imagesPerSecond'] });
      [straight, interrupted, resumed].forEach(dispose);
    }
  });

  it('writes checkpoints that open with loadVae, with the data’s class names', async () => {
    const cvae = tinyCvae();
    const result = await trainVae({ vae: cvae, data, steps: 2, batchSize: 8, store: fileSystemStore({ runDir }) });
    const loaded = await loadVae({ dir: result.checkpoint! });
    expect(loaded.spec.classNames).toEqual(['top', 'middle', 'bottom']);
    expect(weights(loaded)).toEqual(weights(cvae));
    [cvae, loaded].forEach(dispose);
  });

  it('refuses to resume another VAE’s checkpoint, before loading any weight', async () => {
    const store = memoryStore();
    const vae = tinyVae();
    await trainVae({ vae, data, steps: 1, batchSize: 8, store });
    const other = createVae({ ...tiny, latentDim: 5 });
    await expectFailureWithoutLeaks(() => trainVae({ vae: other, data, steps: 2, batchSize: 8, store, resume: true }), {
      error: CheckpointError,
      message: 'it holds another VAE than the one given (given vs saved: latentDim 5, not 4',
    });
    [vae, other].forEach(dispose);
  });

  it('refuses bad input with typed errors and no leaked tensors', async () => {
    const vae = tinyVae();
    const cvae = tinyCvae();
    const gaussian = createVae({ ...tiny, decoder: 'gaussian' });
    const small = fromArrays({ images: new Uint8Array(4 * 32 * 32 * 3), shape: [32, 32, 3] });
    const unlabeled = fromArrays({ images: new Uint8Array(4 * 784), shape: [28, 28, 1] });
    const cases: [Partial<TrainVaeOptions>, typeof InvalidArgumentError, string][] = [
      [{ vae, data: small }, ShapeMismatchError, "the data's images are 32×32×3, the VAE's 28×28×1"],
      [{ vae: cvae, data: unlabeled }, InvalidArgumentError, 'a cvae needs labeled data with at most 3 classes; got unlabeled data'],
      [{ vae: gaussian, data, binarize: 'dynamic' }, InvalidArgumentError, "binarize 'dynamic' is for a Bernoulli decoder"],
      [{ vae, data, beta: -1 }, InvalidArgumentError, 'beta'],
      [{ vae, data, klWarmup: 1.5 }, InvalidArgumentError, 'klWarmup'],
      [{ vae, data, binarize: 'yes' as never }, InvalidArgumentError, 'binarize'],
      [{ vae, data, batchSize: 49 }, InvalidArgumentError, 'batchSize: expected ≤ 48'],
      [{ vae: { encoder: vae.encoder, decoder: vae.decoder, spec: { ...vae.spec, family: 'dcgan' } } as never, data }, InvalidArgumentError, 'got a spec of family string "dcgan"'],
      [{ vae, data, epoch: 1 } as never, InvalidArgumentError, 'epoch'],
    ];
    for (const [options, error, message] of cases) {
      await expectFailureWithoutLeaks(() => trainVae({ steps: 1, ...options } as TrainVaeOptions), { error, message });
    }
    [vae, cvae, gaussian].forEach(dispose);
  });

  it('trains a CVAE whose samples follow the label: the same latent decodes to the square of the class asked for', async () => {
    const cvae = tinyCvae();
    await trainVae({ vae: cvae, data, steps: 150, batchSize: 16, seed: 4, binarize: 'dynamic', optimizer: { learningRate: 5e-3 } });
    // toyData's class c is a bright square at rows 4 + 6c … 11 + 6c, columns 10 … 17.
    const brightness = tf.tidy(() => {
      const z = tf.randomNormal([30, 4], 0, 1, 'float32', 7);
      const labels = tf.tensor2d(Array.from({ length: 30 }, (_, i) => i % 3), [30, 1], 'int32');
      const images = tf.sigmoid(cvae.decoder.predict([z, labels]) as tf.Tensor4D);
      // Rows of class c's square that no other class's square covers (4–5, 12–13, 20–21).
      const band = (top: number) => tf.mean(tf.slice(images, [0, top, 10, 0], [-1, 2, 8, 1]), [1, 2, 3]);
      return tf.stack([4, 12, 20].map(band)).arraySync() as number[][];
    });
    for (let i = 0; i < 30; i++) {
      const asked = i % 3;
      const column = brightness.map((row) => row[i]!);
      const others = column.filter((_, c) => c !== asked);
      expect(column[asked]! - Math.max(...others)).toBeGreaterThan(0.2);
    }
    dispose(cvae);
  }, 60_000);
});
