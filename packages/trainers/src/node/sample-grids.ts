import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as zod from 'zod';
import { parseOptions } from '@dgm/core';
import { generatorInputs, takesLabels } from '@dgm/models';
import type { TrainCallback, TrainContext } from '../callbacks.js';
import { positiveInt } from '../option-schemas.js';
import { gridFolder, stepFileName, writeCaptions, writeGrid } from './grid-files.js';
import { latentSeed, latentValues, layoutFor, type Layout } from './grid-layout.js';

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
    await writeGrid(join(folder, name), images, layout!.rows, text);
  };
  return {
    async onTrainBegin(context) {
      const { spec } = context.gan;
      layout = layoutFor({
        caller: 'sampleGrids',
        name: spec.name,
        part: 'generator',
        takesLabels: takesLabels(spec).generator,
        numClasses: spec.numClasses,
        count,
        classNames,
        defaultClassNames: spec.classNames,
      });
      z = tf.tensor2d(latentValues(spec.latentDim, layout, latentSeed(context.seed)), [layout.images, spec.latentDim]);
      labels = layout.labels === undefined ? undefined : tf.tensor2d(layout.labels, [layout.labels.length, 1], 'int32');
      folder = gridFolder(dir, context.store);
      if (layout.captions !== undefined) text = await writeCaptions(folder, layout.captions);
    },
    async onBatchEnd(step, _logs, context) {
      if (step % every === 0) await write(stepFileName(step), context);
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
