import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { traitsOf } from './family-traits.js';
import type { GanSpec } from './spec.js';

/** Whether G (conditional GAN, AC-GAN) and D (conditional GAN) take the label as an input. */
export function takesLabels(spec: GanSpec): { generator: boolean; discriminator: boolean } {
  const traits = traitsOf(spec);
  return { generator: traits.generatorTakesLabels, discriminator: traits.discriminatorTakesLabels };
}

/** G's inputs for latents z [n, latentDim] and, for the conditional families, labels [n, 1] int32. */
export function generatorInputs(spec: GanSpec, z: tf.Tensor, labels?: tf.Tensor): tf.Tensor[] {
  if (z.rank !== 2 || z.shape[1] !== spec.latentDim) throw new ShapeMismatchError(`generatorInputs: z must be [n, ${spec.latentDim}], got [${z.shape}]`);
  if (!takesLabels(spec).generator) return [z];
  return [z, checkLabels(spec, labels, z.shape[0]!, 'generatorInputs')];
}

/** D's inputs for images and, for the conditional GAN, labels [n, 1] int32. */
export function discriminatorInputs(spec: GanSpec, images: tf.Tensor, labels?: tf.Tensor): tf.Tensor | tf.Tensor[] {
  if (!takesLabels(spec).discriminator) return images;
  return [images, checkLabels(spec, labels, images.shape[0]!, 'discriminatorInputs')];
}

function checkLabels(spec: GanSpec, labels: tf.Tensor | undefined, n: number, caller: string): tf.Tensor {
  if (labels === undefined) throw new InvalidArgumentError(`${caller}: ${spec.name} is conditional: labels [n, 1] int32 are required`);
  if (labels.dtype !== 'int32' || labels.rank !== 2 || labels.shape[0] !== n || labels.shape[1] !== 1) {
    throw new ShapeMismatchError(`${caller}: labels must be [${n}, 1] int32, got [${labels.shape}] ${labels.dtype}`);
  }
  return labels;
}
