import type * as tfl from '@tensorflow/tfjs-layers';
import type { ImageShape } from '@dgm/core';

export type VaeFamily = 'vae' | 'cvae';

/** What the decoder's output parameterizes: p(x|z) as Bernoulli logits or as a Gaussian's mean. */
export type VaeDecoder = 'bernoulli' | 'gaussian';

/** Everything needed to use (and rebuild) a VAE's two models; plain JSON, shaped like `GanSpec`. */
export interface VaeSpec {
  readonly family: VaeFamily;
  /** The registry name it was built with: 'vae' or 'cvae'. */
  readonly name: string;
  readonly imageShape: ImageShape;
  readonly latentDim: number;
  /** Classes of the CVAE. */
  readonly numClasses?: number;
  /** The classes' names, index by index, where known. */
  readonly classNames?: readonly string[];
  /** How encoder and decoder see the class: not at all (VAE), or as the one-hot label concatenated (CVAE). */
  readonly conditioning: 'none' | 'concat';
  readonly decoder: VaeDecoder;
  /** The Gaussian decoder's fixed log σ² (every pixel); absent for a Bernoulli decoder. */
  readonly gaussianLogVariance?: number;
  /** The options the builder was called with (defaults filled in). */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A variational autoencoder's two models. The encoder q(z|x) takes [image] or [image, label]
 * and outputs [mean, logVariance], each [n, latentDim]; the decoder p(x|z) takes [z] or
 * [z, label] and outputs [n, h, w, c]: Bernoulli logits or the Gaussian mean (`spec.decoder`).
 * Labels are [n, 1] int32. Sampling z (μ + σ·ε) is the training step's, not a layer.
 */
export interface Vae {
  readonly encoder: tfl.LayersModel;
  readonly decoder: tfl.LayersModel;
  readonly spec: VaeSpec;
}
