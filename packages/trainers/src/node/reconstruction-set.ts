import * as tf from '@tensorflow/tfjs-core';
import { createRandom, InvalidArgumentError } from '@dgm/core';
import { gatherImages, normalizeImages, type Dataset } from '@dgm/data';
import { decodeLatents, encoderMeans, traitsOf, type Vae } from '@dgm/models';

/** The training images a run's reconstruction grids show, chosen once. */
export interface ReconstructionSet {
  /** The images as the dataset holds them (uint8 in [0, 255] or float in [0, 1]), image after image. */
  readonly pixels: Uint8Array | Float32Array;
  /** Their labels (for a CVAE), else empty. */
  readonly labels: Int32Array;
  /** Images. */
  readonly count: number;
  /** Grid rows, each of `count / rows` pairs (image, reconstruction). */
  readonly rows: number;
}

/** The seed of the permutation the reconstructed images are taken from, apart from the run's other seeds. */
export const reconstructionSeed = (runSeed: number): number => runSeed + 104729;

/**
 * About `pairs` training images (whole rows of an about square grid of pairs, at most the data's
 * count): the first ones of a permutation drawn from `seed`, with their labels for a CVAE.
 */
export function chooseReconstructions(vae: Vae, data: Dataset, pairs: number, seed: number): ReconstructionSet {
  const { spec } = vae;
  if (data.shape.join() !== spec.imageShape.join()) {
    throw new InvalidArgumentError(`vaeGrids: the data's images are ${data.shape.join('×')}, but ${spec.name} takes ${spec.imageShape.join('×')}`);
  }
  const traits = traitsOf(spec);
  const takesLabels = traits.encoderTakesLabels || traits.generatorTakesLabels;
  if (takesLabels && data.labels === undefined) throw new InvalidArgumentError(`vaeGrids: ${spec.name}'s encoder takes labels, but the data has none`);
  const perRow = Math.min(data.count, Math.max(1, Math.round(Math.sqrt(pairs / 2))));
  const rows = Math.max(1, Math.min(Math.round(pairs / perRow), Math.floor(data.count / perRow)));
  const indices = createRandom({ seed }).permutation(data.count).subarray(0, rows * perRow);
  const labels = takesLabels ? Int32Array.from(indices, (i) => data.labels![i]!) : new Int32Array(0);
  return { pixels: gatherImages(data, indices), labels, count: indices.length, rows };
}

/**
 * The tiles of a reconstruction grid, [2·count, h, w, c] in [−1, 1]: each image, then the
 * decoder's image (as `decodeLatents` makes it) at the encoder's mean for it.
 */
export async function reconstructionTiles(vae: Vae, set: ReconstructionSet): Promise<tf.Tensor4D> {
  const { pixels, labels, count } = set;
  const [h, w, c] = vae.spec.imageShape;
  const traits = traitsOf(vae.spec);
  const from = pixels instanceof Uint8Array ? '[0,255]' : '[0,1]';
  const inputs = tf.tidy(() => normalizeImages({ images: tf.tensor4d(pixels, [count, h, w, c]), from }) as tf.Tensor4D);
  let outputs: tf.Tensor4D | undefined;
  try {
    const z = await encoderMeans(vae, inputs, traits.encoderTakesLabels ? labels : new Int32Array(0));
    outputs = decodeLatents(vae, z, traits.generatorTakesLabels ? labels : new Int32Array(0));
    const pairs = outputs;
    return tf.tidy(() => tf.reshape(tf.stack([inputs, pairs], 1), [2 * count, h, w, c]) as tf.Tensor4D);
  } finally {
    tf.dispose([inputs, ...(outputs === undefined ? [] : [outputs])]);
  }
}
