import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';

/** Height, width, channels of one image (NHWC without the batch axis). */
export type ImageShape = readonly [height: number, width: number, channels: number];

/** One batch: images in NHWC and, for labeled data, integer class labels. */
export interface Batch {
  readonly images: Tensor4D;
  readonly labels?: Tensor1D;
}

/** The plain record of numbers a training step returns and callbacks receive. */
export type Logs = Readonly<Record<string, number>>;

/** Where a long task stands: `done` of `total` units of its current `stage` (e.g. 'generated features', images). */
export interface Progress {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
}

/** Called as a long task advances (feature extraction, CAS training, …); may be called often, so keep it cheap. */
export type OnProgress = (progress: Progress) => void;
