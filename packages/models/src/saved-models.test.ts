import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { CheckpointError } from '@dgm/core';
import { expectFailureWithoutLeaks } from '@dgm/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './registry.js';
import { checkVaeAgainstSpec, ganManifest, parseGanManifest, parseVaeManifest, vaeManifest } from './saved-models.js';
import type { Vae } from './vae-spec.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny = { imageShape: [28, 28, 1], latentDim: 4, encoderFilters: 4, decoderFilters: 4 };
const build = (name: 'vae' | 'cvae'): Vae => createModel(name, { ...tiny, ...(name === 'cvae' ? { numClasses: 10 } : {}) } as never);
const dispose = (vae: Vae) => {
  vae.encoder.dispose();
  vae.decoder.dispose();
};

describe('saved VAE manifests', () => {
  it('round-trip the spec, and refuse bad manifests with CheckpointError', async () => {
    const vae = build('cvae');
    const good = JSON.parse(JSON.stringify(vae.spec)) as Record<string, unknown>;
    dispose(vae);
    expect(parseVaeManifest(vaeManifest(vae.spec), 'vae.json')).toEqual(good);
    const manifest = (spec: unknown) => JSON.stringify({ format: 'dgm-vae/1', spec });
    const cases: [string, string][] = [
      ['null', 'vae.json: not a saved VAE: expected an object { format, spec }, got null'],
      ['{', 'vae.json: not JSON'],
      [JSON.stringify({ format: 'dgm-vae/2', spec: good }), 'vae.json: not a saved VAE (format "dgm-vae/2", expected dgm-vae/1)'],
      [manifest(null), 'vae.json: spec: expected object, got null'],
      [manifest({ ...good, family: 'dcgan' }), 'vae.json: spec: family: expected one of "vae", "cvae", got string "dcgan"'],
      [manifest({ ...good, conditioning: 'projection' }), 'vae.json: spec: conditioning: expected one of "none", "concat"'],
      [manifest({ ...good, decoder: undefined }), 'vae.json: spec: decoder: expected one of "bernoulli", "gaussian"'],
      [manifest({ ...good, latentDim: 1.5 }), 'vae.json: spec: latentDim'],
    ];
    for (const [text, message] of cases) await expectFailureWithoutLeaks(() => parseVaeManifest(text, 'vae.json'), { error: CheckpointError, message });
  });

  it('name the other kind when given its manifest', async () => {
    const gan = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4 });
    gan.generator.dispose();
    gan.discriminator.dispose();
    const vae = build('vae');
    dispose(vae);
    await expectFailureWithoutLeaks(() => parseVaeManifest(ganManifest(gan.spec), 'x.json'), { error: CheckpointError, message: 'x.json: not a saved VAE: it holds a saved GAN (format dgm-gan/1, expected dgm-vae/1)' });
    await expectFailureWithoutLeaks(() => parseGanManifest(vaeManifest(vae.spec), 'x.json'), { error: CheckpointError, message: 'x.json: not a saved GAN: it holds a saved VAE (format dgm-vae/1, expected dgm-gan/1)' });
  });

  it('checkVaeAgainstSpec compares the encoder and decoder with the spec, labels included', () => {
    const [plain, conditional] = [build('vae'), build('cvae')];
    expect(() => checkVaeAgainstSpec(plain.encoder, plain.decoder, plain.spec, 'here')).not.toThrow();
    expect(() => checkVaeAgainstSpec(conditional.encoder, conditional.decoder, conditional.spec, 'here')).not.toThrow();
    expect(() => checkVaeAgainstSpec(plain.encoder, plain.decoder, conditional.spec, 'here')).toThrow(
      'loadVae: here does not match its spec (cvae, image 28×28×1): encoder inputs should be [[null,28,28,1],[null,1]], found [[null,28,28,1]]',
    );
    expect(() => checkVaeAgainstSpec(conditional.encoder, plain.decoder, conditional.spec, 'here', 'openVae')).toThrow(
      'openVae: here does not match its spec (cvae, image 28×28×1): decoder inputs should be [[null,4],[null,1]], found [[null,4]]',
    );
    expect(() => checkVaeAgainstSpec(plain.encoder, plain.decoder, { ...plain.spec, imageShape: [32, 32, 3] }, 'here')).toThrow(CheckpointError);
    dispose(plain);
    dispose(conditional);
  });
});
