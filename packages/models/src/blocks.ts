import * as tfl from '@tensorflow/tfjs-layers';
import type { ImageShape } from '@dgm/core';
import type { Stages } from './architecture.js';
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

/**
 * DCGAN generator body (Radford et al. 2016): dense to start×start×c₀, then per stage a
 * 4×4 stride-2 transposed convolution, batch norm and LeakyReLU(0.2); the last stage maps
 * to the image channels with tanh.
 */
export function generatorBody(z: Symbolic, stages: Stages, imageShape: ImageShape, seeds: Seeds): Symbolic {
  const { start, generatorChannels: channels } = stages;
  let x = apply(tfl.layers.dense({ units: start * start * channels[0]!, useBias: false, kernelInitializer: seeds.glorot() }), z);
  x = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), apply(tfl.layers.batchNormalization(), x));
  x = apply(tfl.layers.reshape({ targetShape: [start, start, channels[0]!] }), x);
  for (const filters of channels.slice(1)) {
    x = apply(tfl.layers.conv2dTranspose({ filters, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: seeds.glorot() }), x);
    x = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), apply(tfl.layers.batchNormalization(), x));
  }
  return apply(
    tfl.layers.conv2dTranspose({ filters: imageShape[2], kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: seeds.glorot() }),
    x,
  );
}

/**
 * DCGAN discriminator body: per stage a 4×4 stride-2 convolution (spectrally normalized if
 * asked), the normalization (not after the first) and LeakyReLU(0.2); returns the flattened
 * features.
 */
export function discriminatorBody(image: Symbolic, stages: Stages, normalization: Normalization, seeds: Seeds, spectral = false): Symbolic {
  let x = image;
  stages.discriminatorChannels.forEach((filters, i) => {
    const conv = spectral
      ? new SpectralNormalized({ units: filters, kernelSize: 4, strides: 2, padding: 'same', seed: seeds.next() })
      : tfl.layers.conv2d({ filters, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: seeds.glorot() });
    x = apply(conv, x);
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

/** A class label input ([n, 1] int32) and its embedding, flattened to [n, dim]. */
export function labelEmbedding(numClasses: number, dim: number, seeds: Seeds): { label: Symbolic; embedded: Symbolic } {
  const label = tfl.input({ shape: [1], dtype: 'int32', name: 'label' });
  const embedded = apply(tfl.layers.flatten(), apply(tfl.layers.embedding({ inputDim: numClasses, outputDim: dim, embeddingsInitializer: seeds.normal(0.02) }), label));
  return { label, embedded };
}

export { apply };
