import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as zod from 'zod';
import { createRandom, InvalidArgumentError, parseOptions } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';
import { imageGrid } from '@dgm/data';
import { writePng } from '@dgm/data/node';
import { generatorInputs, takesLabels, type GanSpec } from '@dgm/models';
import type { TrainCallback, TrainContext } from '../callbacks.js';
import { positiveInt } from '../option-schemas.js';

export interface SampleGridsOptions {
  /** Write a grid every this many steps (and at the end). A positive integer. */
  readonly every: number;
  /**
   * Images per grid, a positive integer. Default 64. For conditional families, rounded to
   * whole rows of one image per class (at least one row).
   */
  readonly count?: number;
  /** Folder of the PNGs. Default `samples` beside the store's checkpoints (or ./samples). */
  readonly dir?: string;
  /**
   * Conditional families: the classes' names, one per class of the GAN, recorded as the
   * column captions (`captions.json` beside the PNGs and each PNG's tEXt `Description`).
   * Default: the GAN spec's `classNames` when it has them.
   */
  readonly classNames?: readonly string[];
}

/** Where the samples go: `rows` rows of `columns`, and for conditional families each column's class. */
interface Layout {
  readonly images: number;
  readonly rows: number;
  readonly columns: number;
  /** Conditional families: the class of each image, row by row (column j shows class j). */
  readonly labels: Int32Array | undefined;
  readonly captions: readonly string[] | undefined;
}

/**
 * PNG grids of samples from a fixed latent batch drawn from the run's seed, so that every grid
 * of a run, resumed or not, shows the same latents. Uses the EMA generator when there is one.
 * The last is also `final.png`. For conditional families (G takes labels) there is one column
 * per class, column j showing class j, and each row shares one latent, so that a row differs
 * only by class; with class names, the captions go to `captions.json` (`{ "columns": [...] }`)
 * and into each PNG as a tEXt `Description` chunk. Other families get an about square grid.
 */
export function sampleGrids(options: SampleGridsOptions): TrainCallback {
  const { every, count = 64, dir, classNames } = checkOptions(options);
  let z: tf.Tensor2D | undefined;
  let labels: tf.Tensor2D | undefined;
  let layout: Layout | undefined;
  let folder = '';
  let text: Readonly<Record<string, string>> | undefined;
  const write = async (name: string, context: TrainContext) => {
    const model = context.ema ?? context.gan.generator;
    const images = tf.tidy(() => model.predict(generatorInputs(context.gan.spec, z!, labels)) as tf.Tensor4D);
    const grid = await imageGrid({ images, rows: layout!.rows });
    images.dispose();
    await writePng(join(folder, name), text === undefined ? grid : { ...grid, text });
  };
  return {
    async onTrainBegin(context) {
      const { spec } = context.gan;
      layout = layoutFor(spec, count, classNames);
      z = latents(spec.latentDim, layout, context.seed + 7919);
      labels = layout.labels === undefined ? undefined : tf.tensor2d(layout.labels, [layout.labels.length, 1], 'int32');
      folder = dir ?? join(context.store?.location ?? '.', 'samples');
      if (layout.captions !== undefined) {
        text = { Description: `One column per class, left to right: ${latin1Json(layout.captions)}` };
        await writeAtomically(join(folder, 'captions.json'), `${JSON.stringify({ columns: layout.captions }, null, 2)}\n`);
      }
    },
    async onBatchEnd(step, _logs, context) {
      if (step % every === 0) await write(`step-${String(step).padStart(7, '0')}.png`, context);
    },
    async onTrainEnd(_logs, context) {
      try {
        await write('final.png', context);
      } finally {
        tf.dispose([z!, ...(labels === undefined ? [] : [labels])]);
      }
    },
  };
}

const schema = zod.strictObject({
  every: positiveInt,
  count: positiveInt.optional(),
  dir: zod.string().min(1, { error: 'expected a non-empty path' }).optional(),
  classNames: zod.array(zod.string()).optional(),
});

function checkOptions(options: SampleGridsOptions): SampleGridsOptions {
  parseOptions(schema, options, 'sampleGrids');
  return options;
}

function layoutFor(spec: GanSpec, count: number, classNames: readonly string[] | undefined): Layout {
  if (!takesLabels(spec).generator) {
    if (classNames !== undefined) {
      throw new InvalidArgumentError(`sampleGrids: classNames caption the columns of conditional families, but ${spec.name}'s generator takes no labels`);
    }
    const rows = Math.max(1, Math.round(Math.sqrt(count)));
    return { images: count, rows, columns: Math.ceil(count / rows), labels: undefined, captions: undefined };
  }
  const k = spec.numClasses ?? 1;
  if (classNames !== undefined && classNames.length !== k) {
    throw new InvalidArgumentError(`sampleGrids: classNames must name each of ${spec.name}'s ${k} classes, got ${classNames.length} names`);
  }
  const fromSpec = spec.classNames?.length === k ? spec.classNames : undefined;
  const rows = Math.max(1, Math.round(count / k));
  const labels = Int32Array.from({ length: rows * k }, (_, i) => i % k);
  return { images: rows * k, rows, columns: k, labels, captions: classNames ?? fromSpec };
}

/** Normal latents from `seed`, [images, latentDim]: one per image, or for conditional families one per row, repeated across it. */
function latents(latentDim: number, { images, rows, columns, labels }: Layout, seed: number): tf.Tensor2D {
  const random = createRandom({ seed });
  const drawn = Float32Array.from({ length: (labels === undefined ? images : rows) * latentDim }, () => random.normal());
  if (labels === undefined) return tf.tensor2d(drawn, [images, latentDim]);
  const values = new Float32Array(images * latentDim);
  for (let i = 0; i < images; i++) {
    const row = Math.floor(i / columns);
    values.set(drawn.subarray(row * latentDim, (row + 1) * latentDim), i * latentDim);
  }
  return tf.tensor2d(values, [images, latentDim]);
}

/** JSON whose characters beyond Latin-1 are \u escapes, as a PNG tEXt chunk needs. */
function latin1Json(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
