import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { createRandom, InvalidArgumentError, type Random, type RandomState, parseOptions } from '@dgm/core';
import { gatherImages, type Dataset } from './dataset.js';
import { normalizeImages, type PixelRange } from './normalize.js';
import { datasetSchema, pixelRangeSchema, plainObject, positiveInt } from './options.js';

export interface BatchesOptions {
  readonly dataset: Dataset;
  readonly batchSize: number;
  /** Drop the last, smaller batch of each epoch. Default false. */
  readonly dropRemainder?: boolean;
  /** Yield labels too. Default: when the dataset has them. */
  readonly labels?: boolean;
  /**
   * 'shuffle' (default): each epoch visits every image once, in a new seeded order.
   * 'sequential': dataset order. 'class-balanced': each image of a batch is drawn from a
   * class chosen uniformly, then uniformly within that class (as many batches per epoch).
   */
  readonly order?: 'shuffle' | 'sequential' | 'class-balanced';
  /** Seed of the order. Default 0. */
  readonly seed?: number;
  /** Continue exactly where `stream.getState()` was taken (replaces `seed`). */
  readonly state?: BatchStreamState;
  /** Epochs to yield; Infinity for an endless stream. Default 1. */
  readonly epochs?: number;
  /** Range of the yielded images. Default '[-1,1]'. */
  readonly range?: PixelRange;
}

/** Where a batch stream is: enough to continue it exactly. Plain JSON. */
export interface BatchStreamState {
  readonly epoch: number;
  /** Batches already yielded in this epoch. */
  readonly batch: number;
  /** For 'shuffle': the random state the epoch's order was drawn from; else the current one. */
  readonly random: RandomState;
}

export interface Batch {
  /** [batch, height, width, channels] float32 in the stream's range. */
  readonly images: tf.Tensor4D;
  /** [batch] int32 class indices. */
  readonly labels?: tf.Tensor1D;
}

const schema = z.strictObject({
  dataset: datasetSchema,
  batchSize: positiveInt,
  dropRemainder: z.boolean().optional(),
  labels: z.boolean().optional(),
  order: z.literal(['shuffle', 'sequential', 'class-balanced']).optional(),
  seed: z.int().min(0).optional(),
  state: plainObject({
    epoch: z.int().min(0),
    batch: z.int().min(0),
    random: z.custom<RandomState>((v) => typeof v === 'object' && v !== null, { error: 'expected a RandomState (from getState())' }),
  }).optional(),
  epochs: z.union([z.int().min(1), z.literal(Infinity)], { error: 'expected a positive integer or Infinity' }).optional(),
  range: pixelRangeSchema.optional(),
});

/** Batches of a dataset as an async iterable of tensors, which the consumer disposes. */
export function batches(options: BatchesOptions): BatchStream {
  return new BatchStream(options);
}

export class BatchStream implements AsyncIterable<Batch> {
  readonly batchesPerEpoch: number;
  readonly #dataset: Dataset;
  readonly #batchSize: number;
  readonly #dropRemainder: boolean;
  readonly #labels: boolean;
  readonly #order: NonNullable<BatchesOptions['order']>;
  readonly #epochs: number;
  readonly #range: PixelRange;
  #epoch: number;
  #batch: number;
  #random: Random;
  #epochStart: RandomState;
  #classMembers: Int32Array[] | undefined;

  /** Use `batches()`. */
  constructor(options: BatchesOptions) {
    const parsed = parseOptions(schema, options, 'batches');
    const { dataset, batchSize, dropRemainder = false, order = 'shuffle', seed = 0, epochs = 1, range = '[-1,1]', state } = parsed;
    const labels = parsed.labels ?? dataset.labels !== undefined;
    if ((labels || order === 'class-balanced') && dataset.labels === undefined) {
      throw new InvalidArgumentError(`batches: ${labels ? 'labels' : "order 'class-balanced'"} needs a labeled dataset; ${dataset.name} has no labels`);
    }
    this.#dataset = dataset;
    this.#batchSize = batchSize;
    this.#dropRemainder = dropRemainder;
    this.#labels = labels;
    this.#order = order;
    this.#epochs = epochs;
    this.#range = range;
    this.batchesPerEpoch = dropRemainder ? Math.floor(dataset.count / batchSize) : Math.ceil(dataset.count / batchSize);
    if (this.batchesPerEpoch === 0) {
      throw new InvalidArgumentError(`batches: ${dataset.count} images make no batch of ${batchSize} with dropRemainder`);
    }
    this.#random = createRandom(state === undefined ? { seed } : { state: state.random });
    this.#epochStart = this.#random.getState();
    this.#epoch = state?.epoch ?? 0;
    this.#batch = state?.batch ?? 0;
  }

  getState(): BatchStreamState {
    const random = this.#order === 'shuffle' ? this.#epochStart : this.#random.getState();
    return { epoch: this.#epoch, batch: this.#batch, random };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Batch> {
    while (this.#epoch < this.#epochs) {
      const order = this.#epochOrder();
      for (; this.#batch < this.batchesPerEpoch; ) {
        const indices = order === undefined ? this.#balancedIndices() : order.subarray(this.#batch * this.#batchSize, (this.#batch + 1) * this.#batchSize);
        const batch = this.#tensors(indices);
        this.#batch++;
        yield batch;
      }
      this.#epoch++;
      this.#batch = 0;
      this.#epochStart = this.#random.getState();
    }
  }

  /** This epoch's visiting order (undefined for class-balanced draws), drawn from the epoch's start state. */
  #epochOrder(): Uint32Array | undefined {
    if (this.#order === 'class-balanced') return undefined;
    const n = this.#dataset.count;
    if (this.#order === 'sequential') return Uint32Array.from({ length: n }, (_, i) => i);
    this.#random = createRandom({ state: this.#epochStart });
    return this.#random.permutation(n);
  }

  #balancedIndices(): Int32Array {
    this.#classMembers ??= membersByClass(this.#dataset);
    const members = this.#classMembers.filter((m) => m.length > 0);
    const size = Math.min(this.#batchSize, this.#dropRemainder ? this.#batchSize : this.#dataset.count - this.#batch * this.#batchSize);
    return Int32Array.from({ length: size }, () => {
      const pool = members[this.#random.int(members.length)]!;
      return pool[this.#random.int(pool.length)]!;
    });
  }

  #tensors(indices: ArrayLike<number>): Batch {
    const { shape, labels } = this.#dataset;
    const pixels = gatherImages(this.#dataset, indices);
    return tf.tidy(() => {
      const raw = pixels instanceof Uint8Array ? tf.tensor4d(pixels, [indices.length, ...shape], 'int32') : tf.tensor4d(pixels, [indices.length, ...shape]);
      const images = normalizeImages({ images: raw, range: this.#range, from: pixels instanceof Uint8Array ? '[0,255]' : '[0,1]' }) as tf.Tensor4D;
      if (!this.#labels) return { images };
      return { images, labels: tf.tensor1d(Int32Array.from(indices, (i) => labels![i]!), 'int32') };
    });
  }
}

function membersByClass(dataset: Dataset): Int32Array[] {
  const lists: number[][] = dataset.classNames.map(() => []);
  dataset.labels!.forEach((label, i) => lists[label]!.push(i));
  return lists.map((l) => Int32Array.from(l));
}
