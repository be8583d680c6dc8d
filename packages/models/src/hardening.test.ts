import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { expectFailureWithoutLeaks } from '@dgm/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClassifier } from './classifier.js';
import { createConditionalGan } from './conditional-gan.js';
import { createDcgan } from './dcgan.js';
import { traitsOf } from './family-traits.js';
import { generate } from './generate.js';
import { createModel } from './registry.js';
import { parseGanManifest } from './saved-models.js';
import { createSemiSupervisedGan } from './semi-supervised-gan.js';
import type { Gan } from './spec.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type ErrorClass = typeof InvalidArgumentError | typeof CheckpointError;

/** Each call must fail with an error of its class whose message holds the fragment, leaving no tensor behind. */
async function expectCases(cases: readonly (readonly [string, () => unknown, ErrorClass, string])[]): Promise<void> {
  for (const [, call, error, message] of cases) await expectFailureWithoutLeaks(call, { error, message });
}

const small = { generatorFilters: 4, discriminatorFilters: 4 };

describe('bad options of the builders are typed errors that say what was expected and what was given', () => {
  it('model builders and createModel', async () => {
    await expectCases([
      ['imageShape missing', () => createModel('dcgan', { latentDim: 8 } as never), InvalidArgumentError, 'createDcgan: imageShape: expected array, got undefined'],
      ['no options', () => createModel('dcgan', undefined as never), InvalidArgumentError, 'createModel: expected an options object, got undefined'],
      ['a Map as options of cgan', () => createModel('cgan', new Map() as never), InvalidArgumentError, 'createModel: expected an options object, got a Map'],
      ['null options', () => createDcgan(null as never), InvalidArgumentError, 'createDcgan: expected an options object, got null'],
      ['an array as options', () => createModel('dcgan', [28, 28, 1] as never), InvalidArgumentError, 'expected an options object, got an array of 3'],
      ['a Map as options', () => createModel('dcgan', new Map() as never), InvalidArgumentError, 'expected an options object, got a Map'],
      ['imageShape a string', () => createModel('dcgan', { imageShape: '28,28,1' } as never), InvalidArgumentError, 'imageShape: expected array, got string "28,28,1"'],
      ['imageShape unsupported', () => createModel('dcgan', { imageShape: [30, 30, 3] } as never), InvalidArgumentError, 'imageShape must be one of [28, 28, 1], [32, 32, 3], [64, 64, 3]'],
      ['latentDim a string', () => createModel('dcgan', { imageShape: [28, 28, 1], latentDim: '8' } as never), InvalidArgumentError, 'latentDim: expected a finite number, got string "8"'],
      ['latentDim NaN', () => createModel('dcgan', { imageShape: [28, 28, 1], latentDim: Number.NaN }), InvalidArgumentError, 'latentDim: expected a finite number, got number NaN'],
      ['latentDim 1.5', () => createModel('dcgan', { imageShape: [28, 28, 1], latentDim: 1.5 }), InvalidArgumentError, 'latentDim must be a positive integer, got 1.5'],
      ['filters 0', () => createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 0 }), InvalidArgumentError, 'generatorFilters must be a positive integer'],
      ['seed a string', () => createModel('dcgan', { imageShape: [28, 28, 1], seed: '1' } as never), InvalidArgumentError, 'seed: expected a finite number, got string "1"'],
      ['normalization a prototype key', () => createModel('dcgan', { imageShape: [28, 28, 1], discriminatorNormalization: 'toString' } as never), InvalidArgumentError, 'discriminatorNormalization: expected one of "batch", "layer", "none", got string "toString"'],
      ['spectral normalization a string', () => createModel('dcgan', { imageShape: [28, 28, 1], spectralNormalization: 'yes' } as never), InvalidArgumentError, 'spectralNormalization: expected boolean, got string "yes"'],
      ['numClasses missing', () => createModel('cgan', { imageShape: [28, 28, 1] } as never), InvalidArgumentError, 'numClasses must be a positive integer'],
      ['numClasses a string', () => createModel('acgan', { imageShape: [28, 28, 1], numClasses: '10' } as never), InvalidArgumentError, 'createAcgan: numClasses: expected a finite number, got string "10"'],
      ['conditioning unknown', () => createConditionalGan({ imageShape: [28, 28, 1], numClasses: 10, discriminatorConditioning: 'both' } as never), InvalidArgumentError, 'discriminatorConditioning: expected one of "concat", "projection", got string "both"'],
      ['embeddingDim 0', () => createModel('cgan', { imageShape: [28, 28, 1], numClasses: 10, embeddingDim: 0 }), InvalidArgumentError, 'embeddingDim must be a positive integer'],
      ['critic normalization batch', () => createModel('wgan-gp', { imageShape: [28, 28, 1], criticNormalization: 'batch' } as never), InvalidArgumentError, "criticNormalization must be 'layer' or 'none'"],
      ['wgan-gp without options', () => createModel('wgan-gp', undefined as never), InvalidArgumentError, 'createModel: expected an options object, got undefined'],
      ['createConditionalGan with an array', () => createConditionalGan([] as never), InvalidArgumentError, 'createConditionalGan: expected an options object, got an array of 0'],
      ['ssgan without imageShape', () => createModel('ssgan-conv', {} as never), InvalidArgumentError, 'createSemiSupervisedGan: imageShape: expected array, got undefined'],
      ['ssgan variant a prototype key', () => createSemiSupervisedGan({ variant: 'toString', imageShape: [28, 28, 1] } as never), InvalidArgumentError, 'variant: expected one of "mlp", "conv", got string "toString"'],
      ['ssgan-mlp on colour', () => createModel('ssgan-mlp', { imageShape: [32, 32, 3] }), InvalidArgumentError, "'mlp' variant is for 28×28×1"],
      ['model name a prototype key', () => createModel('toString' as never, { imageShape: [28, 28, 1] } as never), InvalidArgumentError, 'unknown model "toString"'],
      ['model name __proto__', () => createModel('__proto__' as never, { imageShape: [28, 28, 1] } as never), InvalidArgumentError, 'unknown model "__proto__"'],
    ]);
  });

  it('createClassifier', async () => {
    await expectCases([
      ['no options', () => createClassifier(undefined as never), InvalidArgumentError, 'createClassifier: expected an options object, got undefined'],
      ['imageShape missing', () => createClassifier({} as never), InvalidArgumentError, 'createClassifier: imageShape: expected array, got undefined'],
      ['numClasses a string', () => createClassifier({ imageShape: [28, 28, 1], numClasses: '10' } as never), InvalidArgumentError, 'numClasses: expected a finite number, got string "10"'],
      ['momentum NaN', () => createClassifier({ imageShape: [28, 28, 1], batchNormMomentum: Number.NaN }), InvalidArgumentError, 'batchNormMomentum: expected a finite number, got number NaN'],
      ['momentum 1', () => createClassifier({ imageShape: [28, 28, 1], batchNormMomentum: 1 }), InvalidArgumentError, 'batchNormMomentum must be in [0, 1)'],
      ['an unknown option', () => createClassifier({ imageShape: [28, 28, 1], classes: 10 } as never), InvalidArgumentError, 'createClassifier: unknown option "classes"'],
    ]);
  });
});

describe('generate', () => {
  let gan: Gan;
  beforeAll(() => {
    gan = createModel('dcgan', { imageShape: [28, 28, 1], ...small });
  });

  it('refuses bad options before drawing anything', async () => {
    const unknownFamily = { ...gan, spec: { ...gan.spec, family: 'toString' } } as unknown as Gan;
    await expectCases([
      ['no options', () => generate(undefined as never), InvalidArgumentError, 'generate: expected an options object, got undefined'],
      ['count a string', () => generate({ gan, count: '8' } as never), InvalidArgumentError, 'generate: count: expected a finite number, got string "8"'],
      ['count missing', () => generate({ gan } as never), InvalidArgumentError, 'generate: count: expected a finite number, got undefined'],
      ['count 0', () => generate({ gan, count: 0 }), InvalidArgumentError, 'count must be a positive integer, got 0'],
      ['seed NaN', () => generate({ gan, count: 2, seed: Number.NaN }), InvalidArgumentError, 'seed: expected a finite number, got number NaN'],
      ['batchSize a string', () => generate({ gan, count: 2, batchSize: '1' } as never), InvalidArgumentError, 'batchSize: expected a finite number, got string "1"'],
      ['a family that is a prototype key', () => generate({ gan: unknownFamily, count: 2 }), InvalidArgumentError, 'unknown model family string "toString"'],
    ]);
    expect(() => traitsOf({ family: '__proto__' as never })).toThrow(/unknown model family string "__proto__"; known: dcgan, wgan-gp, cgan, acgan, ssgan, vae, cvae/);
  });
});

describe('saved GAN manifests', () => {
  const spec = createDcgan({ imageShape: [28, 28, 1], ...small });
  const manifest = (value: unknown) => JSON.stringify({ format: 'dgm-gan/1', spec: value });
  it('refuses gan.json that is null, or a spec with missing or wrong fields, with CheckpointError', async () => {
    const good = JSON.parse(JSON.stringify(spec.spec)) as Record<string, unknown>;
    const { latentDim: _latentDim, ...noLatent } = good;
    await expectCases([
      ['null', () => parseGanManifest('null', 'gan.json'), CheckpointError, 'gan.json: not a saved GAN: expected an object { format, spec }, got null'],
      ['an array', () => parseGanManifest('[1]', 'gan.json'), CheckpointError, 'not a saved GAN: expected an object { format, spec }, got an array of 1'],
      ['not JSON', () => parseGanManifest('{', 'gan.json'), CheckpointError, 'gan.json: not JSON'],
      ['spec null', () => parseGanManifest(manifest(null), 'gan.json'), CheckpointError, 'gan.json: spec: expected object, got null'],
      ['spec without fields', () => parseGanManifest(manifest({ family: 'dcgan' }), 'gan.json'), CheckpointError, 'gan.json: spec: name: expected string, got undefined'],
      ['spec without latentDim', () => parseGanManifest(manifest(noLatent), 'gan.json'), CheckpointError, 'gan.json: spec: latentDim: expected a finite number, got undefined'],
      ['family a prototype key', () => parseGanManifest(manifest({ ...good, family: 'constructor' }), 'gan.json'), CheckpointError, 'spec: family: expected one of "dcgan", "wgan-gp", "cgan", "acgan", "ssgan", got string "constructor"'],
      ['imageShape of 2', () => parseGanManifest(manifest({ ...good, imageShape: [28, 28] }), 'gan.json'), CheckpointError, 'spec: imageShape'],
    ]);
    expect(parseGanManifest(manifest(good), 'gan.json')).toEqual(good);
    spec.generator.dispose();
    spec.discriminator.dispose();
  });
});
