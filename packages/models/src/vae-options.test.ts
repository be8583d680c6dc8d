import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { expectFailureWithoutLeaks } from '@dgm/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCvae } from './cvae.js';
import { familiesOf, traitsOf } from './family-traits.js';
import { createModel, modelNames, vaeModelNames } from './registry.js';
import { parseGanManifest } from './saved-models.js';
import { createVae } from './vae.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const shape = { imageShape: [28, 28, 1] as [number, number, number] };

describe('VAE options', () => {
  it('bad options are InvalidArgumentErrors, raised before anything is built', async () => {
    const cases: [string, () => unknown, string][] = [
      ['no options', () => createVae(undefined as never), 'createVae: expected an options object, got undefined'],
      ['imageShape unsupported', () => createVae({ imageShape: [30, 30, 3] as never }), 'createVae: imageShape must be one of [28, 28, 1], [32, 32, 3], [64, 64, 3], got [30,30,3]'],
      ['imageShape missing', () => createModel('vae', {} as never), 'createVae: imageShape: expected array, got undefined'],
      ['latentDim 0', () => createVae({ ...shape, latentDim: 0 }), 'createVae: latentDim must be a positive integer, got 0'],
      ['latentDim a string', () => createVae({ ...shape, latentDim: '8' as never }), 'createVae: latentDim: expected a finite number, got string "8"'],
      ['encoderFilters 1.5', () => createVae({ ...shape, encoderFilters: 1.5 }), 'createVae: encoderFilters must be a positive integer, got 1.5'],
      ['decoderFilters 0', () => createCvae({ ...shape, numClasses: 10, decoderFilters: 0 }), 'createCvae: decoderFilters must be a positive integer, got 0'],
      ['unknown decoder', () => createVae({ ...shape, decoder: 'poisson' as never }), 'createVae: decoder: expected one of "bernoulli", "gaussian", got string "poisson"'],
      ['encoderNormalization', () => createVae({ ...shape, encoderNormalization: 'group' as never }), 'encoderNormalization: expected one of "batch", "layer", "none", got string "group"'],
      ['a log-variance for a Bernoulli decoder', () => createVae({ ...shape, gaussianLogVariance: -2 }), "createVae: gaussianLogVariance is for decoder 'gaussian', got decoder 'bernoulli'"],
      ['a log-variance that is NaN', () => createVae({ ...shape, decoder: 'gaussian', gaussianLogVariance: Number.NaN }), 'gaussianLogVariance: expected a finite number, got number NaN'],
      ['seed −1', () => createVae({ ...shape, seed: -1 }), 'createVae: seed must be a non-negative integer, got -1'],
      ['a GAN option', () => createVae({ ...shape, generatorFilters: 8 } as never), 'createVae: unknown option "generatorFilters"'],
      ['numClasses for the plain VAE', () => createModel('vae', { ...shape, numClasses: 10 } as never), 'createVae: unknown option "numClasses"'],
      ['numClasses missing for the CVAE', () => createModel('cvae', shape as never), 'createCvae: numClasses must be a positive integer, got undefined'],
      ['numClasses 0', () => createCvae({ ...shape, numClasses: 0 }), 'createCvae: numClasses must be a positive integer, got 0'],
      ['a Map through createModel', () => createModel('cvae', new Map() as never), 'createModel: expected an options object, got a Map'],
      ['an unknown model', () => createModel('vae-gan' as never, shape as never), 'createModel: unknown model "vae-gan"; known: dcgan, cgan, cgan-projection, acgan, wgan-gp, ssgan-mlp, ssgan-conv, vae, cvae'],
    ];
    for (const [what, call, message] of cases) {
      const error = await expectFailureWithoutLeaks(call, { error: InvalidArgumentError, message });
      expect(error.message, what).toContain(message);
    }
  });

  it('fills in the defaults and records them in the spec', () => {
    const vae = createVae(shape);
    expect(vae.spec).toEqual({
      family: 'vae',
      name: 'vae',
      imageShape: [28, 28, 1],
      latentDim: 32,
      conditioning: 'none',
      decoder: 'bernoulli',
      options: { imageShape: [28, 28, 1], latentDim: 32, encoderFilters: 64, decoderFilters: 64, encoderNormalization: 'batch', decoder: 'bernoulli', seed: 0 },
    });
    vae.encoder.dispose();
    vae.decoder.dispose();
    const gaussian = createCvae({ ...shape, numClasses: 3, latentDim: 2, encoderFilters: 2, decoderFilters: 2, decoder: 'gaussian', gaussianLogVariance: -2 });
    expect(gaussian.spec).toMatchObject({ family: 'cvae', numClasses: 3, conditioning: 'concat', decoder: 'gaussian', gaussianLogVariance: -2 });
    expect(gaussian.spec.options).toMatchObject({ numClasses: 3, gaussianLogVariance: -2 });
    gaussian.encoder.dispose();
    gaussian.decoder.dispose();
  });

  it("encoderNormalization sets the encoder's normalization layers", () => {
    const layerNames = { batch: 'BatchNormalization', layer: 'LayerNormalization', none: undefined } as const;
    for (const [normalization, className] of Object.entries(layerNames)) {
      const vae = createVae({ ...shape, latentDim: 2, encoderFilters: 2, decoderFilters: 2, encoderNormalization: normalization as never });
      const normalizations = vae.encoder.layers.map((l) => l.getClassName()).filter((c) => c.endsWith('Normalization'));
      // One after the second of the two convolutions at 28×28 (none after the first, as in D).
      expect(normalizations, normalization).toEqual(className === undefined ? [] : [className]);
      vae.encoder.dispose();
      vae.decoder.dispose();
    }
  });
});

describe('VAE families in the registry and the family traits', () => {
  it('createModel builds the same models as the builders; the lists keep GANs and VAEs apart', () => {
    expect(vaeModelNames).toEqual(['vae', 'cvae']);
    expect(modelNames).not.toContain('vae');
    for (const [viaRegistry, direct] of [
      [() => createModel('vae', { ...shape, latentDim: 2, encoderFilters: 2, decoderFilters: 2, seed: 5 }), () => createVae({ ...shape, latentDim: 2, encoderFilters: 2, decoderFilters: 2, seed: 5 })],
      [() => createModel('cvae', { ...shape, numClasses: 3, latentDim: 2, encoderFilters: 2, decoderFilters: 2 }), () => createCvae({ ...shape, numClasses: 3, latentDim: 2, encoderFilters: 2, decoderFilters: 2 })],
    ] as const) {
      const [a, b] = [viaRegistry(), direct()];
      expect(a.spec).toEqual(b.spec);
      for (const model of ['encoder', 'decoder'] as const) {
        expect(a[model].getWeights().map((w) => Array.from(w.dataSync()))).toEqual(b[model].getWeights().map((w) => Array.from(w.dataSync())));
      }
      for (const vae of [a, b]) {
        vae.encoder.dispose();
        vae.decoder.dispose();
      }
    }
  });

  it('the traits say which kind a family is and which models take labels', () => {
    expect(familiesOf('vae')).toEqual(['vae', 'cvae']);
    expect(familiesOf('gan')).toEqual(['dcgan', 'wgan-gp', 'cgan', 'acgan', 'ssgan']);
    expect(traitsOf({ family: 'vae' })).toMatchObject({ kind: 'vae', encoderTakesLabels: false, generatorTakesLabels: false, trainsOnLabels: false });
    expect(traitsOf({ family: 'cvae' })).toMatchObject({ kind: 'vae', encoderTakesLabels: true, generatorTakesLabels: true, discriminatorTakesLabels: false, trainsOnLabels: true });
    expect(traitsOf({ family: 'cgan' })).toMatchObject({ kind: 'gan', encoderTakesLabels: false });
  });

  it("a VAE's spec is not a saved GAN's", () => {
    const vae = createVae({ ...shape, latentDim: 2, encoderFilters: 2, decoderFilters: 2 });
    const text = JSON.stringify({ format: 'dgm-gan/1', spec: { ...vae.spec, discriminatorOutputs: ['logit'] } });
    vae.encoder.dispose();
    vae.decoder.dispose();
    expect(() => parseGanManifest(text, 'gan.json')).toThrow(CheckpointError);
    expect(() => parseGanManifest(text, 'gan.json')).toThrow('spec: family: expected one of "dcgan", "wgan-gp", "cgan", "acgan", "ssgan", got string "vae"');
  });
});
