import * as tfl from '@tensorflow/tfjs-layers';
import { stagesFor, type Stages } from './architecture.js';
import { classBias, discriminatorBody, generatorBody, labelInput, logits, Seeds, type Condition } from './blocks.js';
import { vaeDefaults, type VaeDefaults, type VaeOptions } from './vae-options.js';
import type { Vae } from './vae-spec.js';

/**
 * VAE (Kingma & Welling 2014) in the DCGAN layout: the encoder q(z|x) is D's body (4×4
 * stride-2 convolutions, LeakyReLU(0.2)) with two linear heads, `mean` and `logVariance`; the
 * decoder p(x|z) is G's body with a linear output: Bernoulli logits or a Gaussian mean.
 */
export function createVae(options: VaeOptions): Vae {
  return vaeModels(vaeDefaults(options, false, 'createVae'), 'createVae');
}

/** Encoder and decoder for checked options; with `numClasses`, both read the label (CVAE). */
export function vaeModels(o: VaeDefaults, caller: string): Vae {
  const stages = stagesFor(o.imageShape, o.decoderFilters, o.encoderFilters, caller);
  const seeds = new Seeds(o.seed);
  const encoder = vaeEncoder(o, stages, seeds);
  const decoder = vaeDecoder(o, stages, seeds);
  const conditional = o.numClasses !== undefined;
  const family = conditional ? 'cvae' : 'vae';
  return {
    encoder,
    decoder,
    spec: {
      family,
      name: family,
      imageShape: o.imageShape,
      latentDim: o.latentDim,
      ...(conditional ? { numClasses: o.numClasses } : {}),
      conditioning: conditional ? 'concat' : 'none',
      decoder: o.decoder,
      ...(o.gaussianLogVariance === undefined ? {} : { gaussianLogVariance: o.gaussianLogVariance }),
      options: o,
    },
  };
}

/** The label input and the condition it gives each layer (none for the plain VAE). */
function labelCondition(o: VaeDefaults, seeds: Seeds): { label?: tfl.SymbolicTensor; condition?: Condition } {
  if (o.numClasses === undefined) return {};
  const label = labelInput();
  return { label, condition: classBias(label, o.numClasses, seeds) };
}

/** q(z|x): D's body, then linear heads to the mean and log-variance of z (the label read at every layer, heads included, for the CVAE). */
function vaeEncoder(o: VaeDefaults, stages: Stages, seeds: Seeds): tfl.LayersModel {
  const image = tfl.input({ shape: [...o.imageShape], name: 'image' });
  const { label, condition } = labelCondition(o, seeds);
  const features = discriminatorBody(image, stages, o.encoderNormalization, seeds, false, condition);
  const head = (name: string) =>
    condition === undefined ? logits(features, o.latentDim, seeds, name) : condition(logits(features, o.latentDim, seeds), { input: features, kernelArea: 1, taps: 1 }, name);
  const outputs = [head('mean'), head('logVariance')];
  return tfl.model({ inputs: label === undefined ? image : [image, label], outputs, name: 'encoder' });
}

/** p(x|z): G's body with a linear output named for what it is (for the CVAE, z ⧺ one-hot y, and y at every hidden layer). */
function vaeDecoder(o: VaeDefaults, stages: Stages, seeds: Seeds): tfl.LayersModel {
  const z = tfl.input({ shape: [o.latentDim], name: 'z' });
  const { label, condition } = labelCondition(o, seeds);
  const name = o.decoder === 'bernoulli' ? 'logits' : 'mean';
  const output = generatorBody(z, stages, o.imageShape, seeds, condition, { activation: 'linear', name, conditionInput: true });
  return tfl.model({ inputs: label === undefined ? z : [z, label], outputs: output, name: 'decoder' });
}
