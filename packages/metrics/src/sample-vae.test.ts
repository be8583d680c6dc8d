import * as tf from '@tensorflow/tfjs-core';
import { initBackend, InvalidArgumentError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { createCvae, createModel, createVae, generateVae, type Vae } from '@dgm/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateImages } from './evaluate-images.js';
import { functionExtractor } from './feature-extractor.js';
import { sampleVae, vaeSampler } from './sample-vae.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

const tiny = { imageShape: [28, 28, 1] as const, latentDim: 3, encoderFilters: 4, decoderFilters: 4 };
const dispose = (vae: Vae) => {
  vae.encoder.dispose();
  vae.decoder.dispose();
};

describe('vaeSampler and sampleVae', () => {
  it('sampleVae draws seeded, class-balanced CVAE images in [0, 1], the same however batched', async () => {
    const vae = createCvae({ ...tiny, numClasses: 3 });
    const a = await expectNoLeakedTensors(() => sampleVae({ vae, count: 7, seed: 3, batchSize: 4 }));
    const b = await sampleVae({ vae, count: 7, seed: 3 });
    expect(a.count).toBe(7);
    expect(a.shape).toEqual([28, 28, 1]);
    expect(Array.from(a.labels!)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(a.classNames).toEqual(['0', '1', '2']);
    expect(a.images).toEqual(b.images);
    expect(a.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect((await sampleVae({ vae, count: 7, seed: 4 })).images).not.toEqual(a.images);
    dispose(vae);
  });

  it("vaeSampler's batches (3 + 4) are generateVae's images, in [−1, 1]; a plain VAE's are unlabeled", async () => {
    const vae = createVae({ ...tiny, decoder: 'gaussian' });
    await expectNoLeakedTensors(async () => {
      const sampler = vaeSampler({ vae, count: 7, seed: 2 });
      const parts = [sampler.sample(3), sampler.sample(4)];
      const { images, labels } = generateVae({ vae, count: 7, seed: 2 });
      const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.concat(parts), images))).dataSync()[0]!);
      expect(difference).toBeLessThan(1e-5);
      expect(sampler.count).toBe(7);
      expect(Array.from(sampler.labels())).toEqual([]);
      expect(labels).toBeUndefined();
      expect((await sampleVae({ vae, count: 2 })).labels).toBeUndefined();
      tf.dispose([...parts, images]);
    });
    dispose(vae);
  });

  it("with image: 'mode', samples a Bernoulli decoder's black-or-white modes of the same latents", async () => {
    const vae = createCvae({ ...tiny, numClasses: 3 });
    const modes = await expectNoLeakedTensors(() => sampleVae({ vae, count: 5, seed: 1, image: 'mode' }));
    const means = await sampleVae({ vae, count: 5, seed: 1 });
    expect(Array.from(modes.images).every((v) => v === 0 || v === 1)).toBe(true);
    modes.images.forEach((v, i) => expect(v, `pixel ${i}`).toBe(means.images[i]! > 0.5 ? 1 : 0));
    dispose(vae);
  });

  it('evaluateImages scores a VAE through vaeSampler', async () => {
    const vae = createCvae({ ...tiny, numClasses: 3 });
    const reference = await sampleVae({ vae, count: 20, seed: 5 });
    const pooled = functionExtractor({ id: 'pool', features: (x) => tf.tidy(() => tf.reshape(tf.avgPool(x, 7, 7, 'valid'), [x.shape[0], -1]) as tf.Tensor2D) });
    const [fid] = await expectNoLeakedTensors(() => evaluateImages({ extractor: pooled, generated: vaeSampler({ vae, count: 30, seed: 1 }), reference }));
    expect(fid!.protocol.samples).toBe(30);
    expect(fid!.value).toBeGreaterThanOrEqual(0);
    dispose(vae);
  });

  it('refuses bad options with typed errors, before drawing anything', async () => {
    const vae = createVae(tiny);
    const gan = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4 });
    const before = tf.memory().numTensors;
    expect(() => vaeSampler(undefined as never)).toThrow(new InvalidArgumentError('vaeSampler: expected an options object, got undefined'));
    expect(() => vaeSampler({ vae: gan as never, count: 2 })).toThrow(/vaeSampler: vae must be a VAE from @dgm\/models/);
    expect(() => vaeSampler({ vae, count: 2, classes: [0] })).toThrow(InvalidArgumentError);
    await expect(sampleVae({ vae, count: 2, batchSize: 0 })).rejects.toThrow(new InvalidArgumentError('sampleVae: batchSize must be a positive integer, got number 0'));
    await expect(sampleVae({ vae, count: 0 })).rejects.toThrow(/sampleVae: count must be a positive integer/);
    expect(tf.memory().numTensors).toBe(before);
    dispose(vae);
    gan.generator.dispose();
    gan.discriminator.dispose();
  });
});
