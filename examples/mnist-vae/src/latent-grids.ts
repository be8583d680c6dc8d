// Pictures of a trained VAE's latent space: interpolations between test images, and the 2-D manifold.
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@dgm/core';
import { gatherImages, imageGrid, normalizeImages, type Dataset, type RasterImage } from '@dgm/data';
import { decodeLatents, encoderMeans, traitsOf, type Vae } from '@dgm/models';
import { normalQuantile } from './normal-quantile.js';

export interface InterpolationGridOptions {
  readonly vae: Vae;
  /** Images as the encoder was trained on (binarized, for a Bernoulli decoder trained on binarized data); labeled for a CVAE. Pairs 0–1, 2–3, … are used. */
  readonly data: Dataset;
  /** Rows, one pair of images each. Default 8. */
  readonly rows?: number;
  /** Images per row, both ends included. Default 10. */
  readonly columns?: number;
}

/**
 * Each row decodes latents spaced evenly on the line from the encoder's mean of image 2r to that
 * of image 2r + 1 (ends included). A CVAE encodes each image with its own label and decodes the
 * whole row with the label of the row's first image.
 */
export async function interpolationGrid(options: InterpolationGridOptions): Promise<RasterImage> {
  const { vae, data, rows = 8, columns = 10 } = options;
  const conditional = traitsOf(vae.spec).generatorTakesLabels;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(columns) || columns < 2) {
    throw new InvalidArgumentError(`interpolationGrid: rows must be an integer ≥ 1 and columns one ≥ 2, got ${rows} and ${columns}`);
  }
  if (data.count < 2 * rows) throw new InvalidArgumentError(`interpolationGrid: ${rows} rows need ${2 * rows} images, the data has ${data.count}`);
  if (conditional && data.labels === undefined) throw new InvalidArgumentError(`interpolationGrid: a ${vae.spec.name} needs labeled data`);
  const means = await firstMeans(vae, data, 2 * rows, conditional);
  const d = vae.spec.latentDim;
  const z = new Float32Array(rows * columns * d);
  const labels = new Int32Array(conditional ? rows * columns : 0);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const t = c / (columns - 1);
      const at = (r * columns + c) * d;
      for (let j = 0; j < d; j++) z[at + j] = (1 - t) * means[2 * r * d + j]! + t * means[(2 * r + 1) * d + j]!;
      if (conditional) labels[r * columns + c] = data.labels![2 * r]!;
    }
  }
  return decodeGrid(vae, z, labels, rows);
}

export interface ManifoldGridOptions {
  /** A VAE (or CVAE) with latentDim 2. */
  readonly vae: Vae;
  /** Images per side. Default 20. */
  readonly size?: number;
  /** A CVAE's class to decode. Default 0. */
  readonly label?: number;
}

/**
 * The learned 2-D manifold as Kingma & Welling (2014, fig. 4) drew it: z = (Φ⁻¹(u), Φ⁻¹(v)) on a
 * size × size grid of (u, v) evenly over [0.05, 0.95]², u growing to the right and v upward.
 */
export async function manifoldGrid(options: ManifoldGridOptions): Promise<RasterImage> {
  const { vae, size = 20, label = 0 } = options;
  if (vae.spec.latentDim !== 2) throw new InvalidArgumentError(`manifoldGrid: needs a VAE with latentDim 2, got ${vae.spec.latentDim}`);
  if (!Number.isInteger(size) || size < 2) throw new InvalidArgumentError(`manifoldGrid: size must be an integer ≥ 2, got ${size}`);
  const conditional = traitsOf(vae.spec).generatorTakesLabels;
  if (conditional && !(Number.isInteger(label) && label >= 0 && label < (vae.spec.numClasses ?? 0))) {
    throw new InvalidArgumentError(`manifoldGrid: label must be a class index in [0, ${vae.spec.numClasses}), got ${label}`);
  }
  const axis = Array.from({ length: size }, (_, i) => normalQuantile(0.05 + (0.9 * i) / (size - 1)));
  const z = new Float32Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      z[(r * size + c) * 2] = axis[c]!;
      z[(r * size + c) * 2 + 1] = axis[size - 1 - r]!;
    }
  }
  return decodeGrid(vae, z, new Int32Array(conditional ? size * size : 0).fill(label), size);
}

/** The encoder's means [n · latentDim] of the first n images (with their labels for a CVAE). */
async function firstMeans(vae: Vae, data: Dataset, n: number, conditional: boolean): Promise<Float32Array> {
  const indices = Array.from({ length: n }, (_, i) => i);
  const pixels = gatherImages(data, indices);
  const images = tf.tidy(() => {
    const raw = tf.tensor4d(pixels, [n, ...data.shape], pixels instanceof Uint8Array ? 'int32' : 'float32');
    return normalizeImages({ images: raw, from: pixels instanceof Uint8Array ? '[0,255]' : '[0,1]' }) as tf.Tensor4D;
  });
  try {
    return await encoderMeans(vae, images, conditional ? Int32Array.from(indices, (i) => data.labels![i]!) : new Int32Array(0));
  } finally {
    images.dispose();
  }
}

/** Decodes the given latents (and labels; empty for a plain VAE) into a grid of `rows` rows. */
async function decodeGrid(vae: Vae, z: Float32Array, labels: Int32Array, rows: number): Promise<RasterImage> {
  const images = decodeLatents(vae, z, labels);
  try {
    return await imageGrid({ images, rows });
  } finally {
    images.dispose();
  }
}
