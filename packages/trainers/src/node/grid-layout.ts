import { createRandom, InvalidArgumentError } from '@dgm/core';

/** Where a grid's samples go: `rows` rows of `columns`, and for conditional models each column's class. */
export interface Layout {
  readonly images: number;
  readonly rows: number;
  readonly columns: number;
  /** Conditional models: the class of each image, row by row (column j shows class j). */
  readonly labels: Int32Array | undefined;
  readonly captions: readonly string[] | undefined;
}

/** What a sample grid's layout depends on: the model, the requested size and the given class names. */
export interface LayoutOptions {
  /** The callback, for messages (e.g. 'sampleGrids'). */
  readonly caller: string;
  /** The model's name, for messages (e.g. 'cgan'). */
  readonly name: string;
  /** The part of the model that makes images, for messages: 'generator' or 'decoder'. */
  readonly part: string;
  /** Whether that part takes labels (a conditional model). */
  readonly takesLabels: boolean;
  /** Classes of a conditional model (1 when unknown). */
  readonly numClasses: number | undefined;
  /** Images requested. */
  readonly count: number;
  /** Column captions given by the user: one per class, only for conditional models. */
  readonly classNames: readonly string[] | undefined;
  /** Captions when none are given (e.g. the spec's class names), used only when they name each class. */
  readonly defaultClassNames: readonly string[] | undefined;
}

/**
 * The layout of a grid of `count` samples: about square for unconditional models; for
 * conditional ones, one column per class and `count` rounded to whole rows (at least one).
 */
export function layoutFor(options: LayoutOptions): Layout {
  const { caller, name, part, count, classNames } = options;
  if (!options.takesLabels) {
    if (classNames !== undefined) {
      throw new InvalidArgumentError(`${caller}: classNames caption the columns of conditional families, but ${name}'s ${part} takes no labels`);
    }
    const rows = Math.max(1, Math.round(Math.sqrt(count)));
    return { images: count, rows, columns: Math.ceil(count / rows), labels: undefined, captions: undefined };
  }
  const k = options.numClasses ?? 1;
  if (classNames !== undefined && classNames.length !== k) {
    throw new InvalidArgumentError(`${caller}: classNames must name each of ${name}'s ${k} classes, got ${classNames.length} names`);
  }
  const fallback = options.defaultClassNames?.length === k ? options.defaultClassNames : undefined;
  const rows = Math.max(1, Math.round(count / k));
  const labels = Int32Array.from({ length: rows * k }, (_, i) => i % k);
  return { images: rows * k, rows, columns: k, labels, captions: classNames ?? fallback };
}

/**
 * Standard normal latents from `seed`, [images · latentDim] row-major: one per image, or for
 * conditional layouts one per row, repeated across it.
 */
export function latentValues(latentDim: number, { images, rows, columns, labels }: Layout, seed: number): Float32Array {
  const random = createRandom({ seed });
  const drawn = Float32Array.from({ length: (labels === undefined ? images : rows) * latentDim }, () => random.normal());
  if (labels === undefined) return drawn;
  const values = new Float32Array(images * latentDim);
  for (let i = 0; i < images; i++) {
    const row = Math.floor(i / columns);
    values.set(drawn.subarray(row * latentDim, (row + 1) * latentDim), i * latentDim);
  }
  return values;
}

/** The seed of a run's grid latents, apart from the seeds the run draws its own randomness from. */
export const latentSeed = (runSeed: number): number => runSeed + 7919;
