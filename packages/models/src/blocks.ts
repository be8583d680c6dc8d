import * as tfl from '@tensorflow/tfjs-layers';
import type { ImageShape } from '@dgm/core';
import type { Stages } from './architecture.js';
import { ClassBias } from './class-bias.js';
import { LazyConv2D } from './lazy-conv2d.js';
import { SpectralNormalized } from './spectral-normalization.js';

type Symbolic = tfl.SymbolicTensor;
type Initializer = ReturnType<typeof tfl.initializers.glorotUniform>;

/** Seeded initializers, so that a builder called with the same seed gives the same weights. */
export class Seeds {
  #next: number;
  constructor(seed: number) {
    this.#next = seed * 1000;
  }
  next(): number {
    return this.#next++;
  }
  glorot(): Initializer {
    return tfl.initializers.glorotUniform({ seed: this.next() });
  }
  normal(stddev: number): Initializer {
    return tfl.initializers.randomNormal({ mean: 0, stddev, seed: this.next() });
  }
}

export type Normalization = 'batch' | 'layer' | 'none';

const apply = (layer: tfl.layers.Layer, x: Symbolic | Symbolic[]) => layer.apply(x) as Symbolic;

/** The linear layer a Condition follows: its input, kernel area (1 for dense) and kernel weights that reach each output (`ClassBias` taps). */
export interface LinearLayer {
  readonly input: Symbolic;
  readonly kernelArea: number;
  readonly taps: number;
}

/**
 * Makes a linear layer's output depend on the label (applied before normalization and
 * activation); `name` names the conditioned output where it is a model's output.
 */
export type Condition = (output: Symbolic, layer: LinearLayer, name?: string) => Symbolic;

/** The one-hot label concatenated to every layer's input, as `ClassBias` applies it. */
export function classBias(label: Symbolic, numClasses: number, seeds: Seeds): Condition {
  return (output, { input, kernelArea, taps }, name) => {
    const channels = (x: Symbolic) => x.shape[x.shape.length - 1]!;
    const limit = Math.sqrt(6 / (kernelArea * (channels(input) + numClasses + channels(output))));
    return apply(new ClassBias({ numClasses, taps, limit, seed: seeds.next(), ...(name === undefined ? {} : { name }) }), [output, label]);
  };
}

const unconditioned: Condition = (output) => output;

/** How `generatorBody` ends, where not as G: a VAE decoder's linear logits or mean. */
export interface GeneratorEnd {
  /** The output's activation. Default 'tanh' (G's images in [−1, 1]). */
  readonly activation?: 'tanh' | 'linear';
  /** The output layer's name. */
  readonly name?: string;
  /** `condition` also follows the first dense layer: the label concatenated to z (CVAE). Default false. */
  readonly conditionInput?: boolean;
}

/**
 * DCGAN generator body (Radford et al. 2016): dense to start×start×c₀, then per stage a
 * 4×4 stride-2 transposed convolution, batch norm and LeakyReLU(0.2); the last stage maps
 * to the image channels with tanh (or as `end` says). `condition` follows every hidden
 * transposed convolution (and the dense layer, if `end` asks).
 */
export function generatorBody(z: Symbolic, stages: Stages, imageShape: ImageShape, seeds: Seeds, condition = unconditioned, end: GeneratorEnd = {}): Symbolic {
  const { start, generatorChannels: channels } = stages;
  const { activation = 'tanh', name, conditionInput = false } = end;
  let x = apply(tfl.layers.dense({ units: start * start * channels[0]!, useBias: false, kernelInitializer: seeds.glorot() }), z);
  if (conditionInput) x = condition(x, { input: z, kernelArea: 1, taps: 1 });
  x = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), apply(tfl.layers.batchNormalization(), x));
  x = apply(tfl.layers.reshape({ targetShape: [start, start, channels[0]!] }), x);
  for (const filters of channels.slice(1)) {
    const input = x;
    x = apply(tfl.layers.conv2dTranspose({ filters, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: seeds.glorot() }), x);
    // A 4×4 stride-2 transposed convolution reaches each output from 2×2 input positions.
    x = condition(x, { input, kernelArea: 16, taps: 4 });
    x = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), apply(tfl.layers.batchNormalization(), x));
  }
  const named = name === undefined ? {} : { name };
  return apply(tfl.layers.conv2dTranspose({ filters: imageShape[2], kernelSize: 4, strides: 2, padding: 'same', activation, kernelInitializer: seeds.glorot(), ...named }), x);
}

/**
 * DCGAN discriminator body: per stage a 4×4 stride-2 convolution (spectrally normalized if
 * asked), the normalization (not after the first) and LeakyReLU(0.2); returns the flattened
 * features. `condition` follows every convolution.
 */
export function discriminatorBody(image: Symbolic, stages: Stages, normalization: Normalization, seeds: Seeds, spectral = false, condition = unconditioned): Symbolic {
  let x = image;
  stages.discriminatorChannels.forEach((filters, i) => {
    const conv = spectral
      ? new SpectralNormalized({ units: filters, kernelSize: 4, strides: 2, padding: 'same', seed: seeds.next() })
      : new LazyConv2D({ filters, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: seeds.glorot() });
    x = condition(apply(conv, x), { input: x, kernelArea: 16, taps: 16 });
    if (i > 0 && normalization === 'batch') x = apply(tfl.layers.batchNormalization(), x);
    if (i > 0 && normalization === 'layer') x = apply(tfl.layers.layerNormalization({ axis: -1 }), x);
    x = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), x);
  });
  return apply(tfl.layers.flatten(), x);
}

/** A dense layer to `units` logits (with a bias unless told not to). */
export function logits(x: Symbolic, units: number, seeds: Seeds, name?: string, useBias = true, spectral = false): Symbolic {
  const named = name === undefined ? {} : { name };
  const layer = spectral
    ? new SpectralNormalized({ units, useBias, seed: seeds.next(), ...named })
    : tfl.layers.dense({ units, useBias, kernelInitializer: seeds.glorot(), ...named });
  return apply(layer, x);
}

/** A class label input, [n, 1] int32. */
export function labelInput(): Symbolic {
  return tfl.input({ shape: [1], dtype: 'int32', name: 'label' });
}

/** A learned embedding of `label` with initial values from `initializer`, flattened to [n, dim]. */
export function labelEmbedding(label: Symbolic, numClasses: number, dim: number, initializer: Initializer): Symbolic {
  return apply(tfl.layers.flatten(), apply(tfl.layers.embedding({ inputDim: numClasses, outputDim: dim, embeddingsInitializer: initializer }), label));
}

export { apply };
