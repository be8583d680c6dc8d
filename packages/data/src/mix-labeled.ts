import * as z from 'zod';
import { createRandom, InvalidArgumentError, parseOptions, ShapeMismatchError } from '@dgm/core';
import { createDataset, type Dataset } from './dataset.js';
import { datasetSchema, positiveInt } from './options.js';

export interface MixLabeledOptions {
  /** Labeled real images. */
  readonly real: Dataset;
  /** Labeled generated images of the same shape and classes (e.g. `sampleGan` of a conditional GAN). */
  readonly generated: Dataset;
  /** The share of real images in the mix, in [0, 1]: in every class, this many of its images are real. */
  readonly realFraction: number;
  /** Images in the mix, rounded down to a multiple of the classes. Default real.count + generated.count. */
  readonly count?: number;
  /** The choice and order of images. Default 0. */
  readonly seed?: number;
}

const schema = z.strictObject({
  real: datasetSchema,
  generated: datasetSchema,
  realFraction: z.number().min(0).max(1),
  count: positiveInt.optional(),
  seed: z.int().min(0).optional(),
});

/**
 * A class-balanced mix of real and generated labeled images, for training a classifier on
 * both (generative augmentation, Ravuri & Vinyals 2019): every class gets count/K images, of
 * which round(realFraction · count/K) are real, the rest generated. A class's images are
 * taken in a seeded order and taken again when it has fewer than asked (e.g. 10 real images
 * of a class repeated beside hundreds of generated ones), so each is used ⌊m/n⌋ or ⌈m/n⌉
 * times; the mix is shuffled. Pixels are uint8 when both sets are, float32 in [0, 1] otherwise.
 */
export function mixLabeled(options: MixLabeledOptions): Dataset {
  const { real, generated, realFraction, seed = 0, count = (options?.real?.count ?? 0) + (options?.generated?.count ?? 0) } = parseOptions(schema, options, 'mixLabeled');
  checkCompatible(real, generated);
  const classes = real.classNames.length;
  const perClass = Math.floor(count / classes);
  if (perClass < 1) throw new InvalidArgumentError(`mixLabeled: count ${count} is less than one image per class (${classes} classes)`);
  const realPerClass = Math.round(realFraction * perClass);
  const random = createRandom({ seed });
  const sources: [Dataset, number][] = [];
  for (let c = 0; c < classes; c++) {
    for (const [name, set, n] of [['real', real, realPerClass], ['generated', generated, perClass - realPerClass]] as const) {
      const indices = classIndices(set, c);
      if (n > 0 && indices.length === 0) throw new InvalidArgumentError(`mixLabeled: ${name} has no images of class ${JSON.stringify(real.classNames[c])} to take ${n} from`);
      for (const i of cycled(indices, n, random)) sources.push([set, i]);
    }
  }
  const order = random.permutation(sources.length);
  const float = real.images instanceof Float32Array || generated.images instanceof Float32Array;
  const size = real.shape[0] * real.shape[1] * real.shape[2];
  const images = float ? new Float32Array(sources.length * size) : new Uint8Array(sources.length * size);
  const labels = new Int32Array(sources.length);
  order.forEach((from, to) => {
    const [set, i] = sources[from]!;
    const pixels = set.images.subarray(i * size, (i + 1) * size);
    images.set(float && set.images instanceof Uint8Array ? Float32Array.from(pixels, (v) => v / 255) : pixels, to * size);
    labels[to] = set.labels![i]!;
  });
  return createDataset({ name: real.name, split: `${real.split}+generated`, shape: real.shape, count: sources.length, classNames: real.classNames, images, labels }, 'mixLabeled');
}

function checkCompatible(real: Dataset, generated: Dataset): void {
  for (const [name, set] of [['real', real], ['generated', generated]] as const) {
    if (set.labels === undefined) throw new InvalidArgumentError(`mixLabeled: ${name} must be a labeled Dataset`);
  }
  if (JSON.stringify(real.shape) !== JSON.stringify(generated.shape)) {
    throw new ShapeMismatchError(`mixLabeled: real images are ${real.shape.join('×')}, generated ${generated.shape.join('×')}`);
  }
  if (real.classNames.length !== generated.classNames.length) {
    throw new InvalidArgumentError(`mixLabeled: real has ${real.classNames.length} classes, generated ${generated.classNames.length}`);
  }
}

function classIndices(set: Dataset, c: number): number[] {
  const indices: number[] = [];
  set.labels!.forEach((label, i) => label === c && indices.push(i));
  return indices;
}

/** `n` of `indices`: seeded shuffles of them, one after another, so that each is taken ⌊n/len⌋ or ⌈n/len⌉ times. */
function cycled(indices: readonly number[], n: number, random: ReturnType<typeof createRandom>): number[] {
  const out: number[] = [];
  while (out.length < n) for (const j of random.permutation(indices.length)) if (out.length < n) out.push(indices[j]!);
  return out;
}
