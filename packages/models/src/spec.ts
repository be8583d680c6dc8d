import type * as tfl from '@tensorflow/tfjs-layers';
import type { ImageShape } from '@dgm/core';

export type GanFamily = 'dcgan' | 'cgan' | 'acgan' | 'wgan-gp' | 'ssgan';

/** What a D output is, in the order of the discriminator model's outputs. */
export type DiscriminatorOutput = 'logit' | 'classes' | 'features';

/** Everything needed to use (and rebuild) a GAN's two models; plain JSON. */
export interface GanSpec {
  readonly family: GanFamily;
  /** The registry name it was built with, e.g. 'cgan-projection'. */
  readonly name: string;
  readonly imageShape: ImageShape;
  readonly latentDim: number;
  /** Classes of conditional, AC and semi-supervised GANs. */
  readonly numClasses?: number;
  /** The classes' names, index by index, where known: `trainGan` records its data's, so a loaded run has them. */
  readonly classNames?: readonly string[];
  /** How G and D see the class: not at all, concatenated, or by projection (D only). */
  readonly conditioning: 'none' | 'concat' | 'projection';
  /** D's outputs, in order: e.g. ['logit'] or ['logit', 'classes']. */
  readonly discriminatorOutputs: readonly DiscriminatorOutput[];
  /** The options the builder was called with (defaults filled in). */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A generator and a discriminator (the critic, for WGAN-GP). G's inputs are [z] or
 * [z, label] (labels as [n, 1] float class indices); its output is [n, h, w, c] in [−1, 1].
 * D's inputs are [image] or [image, label].
 */
export interface Gan {
  readonly generator: tfl.LayersModel;
  readonly discriminator: tfl.LayersModel;
  readonly spec: GanSpec;
}
