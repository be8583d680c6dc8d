import { join } from 'node:path';
import * as zod from 'zod';
import { parseOptions } from '@dgm/core';
import { decodeLatents, traitsOf, type Vae } from '@dgm/models';
import type { TrainCallback, VaeContext } from '../callbacks.js';
import { positiveInt } from '../option-schemas.js';
import { gridFolder, stepFileName, writeCaptions, writeGrid } from './grid-files.js';
import { latentSeed, latentValues, layoutFor, type Layout } from './grid-layout.js';
import { chooseReconstructions, reconstructionSeed, reconstructionTiles, type ReconstructionSet } from './reconstruction-set.js';

export interface VaeGridsOptions {
  /** Write the grids every this many steps (and at the end). A positive integer. */
  readonly every: number;
  /**
   * Images per grid, a positive integer. Default 64. Samples: for a CVAE, rounded to whole rows
   * of one image per class (at least one row). Reconstructions: about count / 2 training images,
   * each beside its reconstruction, in whole rows (at most the data's images).
   */
  readonly count?: number;
  /** Folder of the PNGs. Default `samples` beside the store's checkpoints (or ./samples). */
  readonly dir?: string;
  /**
   * CVAE: the classes' names, one per class, recorded as the sample grids' column captions
   * (`captions.json` beside the PNGs and each PNG's tEXt `Description`). Default: the VAE
   * spec's `classNames`, else the data's, when they name each class.
   */
  readonly classNames?: readonly string[];
}

/** What a run's grids show, fixed at its start. */
interface Plan {
  readonly folder: string;
  readonly reconstructions: ReconstructionSet;
  readonly layout: Layout;
  /** The samples' latents [images · latentDim] and labels (empty for a plain VAE). */
  readonly z: Float32Array;
  readonly labels: Int32Array;
  readonly text: Readonly<Record<string, string>> | undefined;
}

const reconstructionText = { Description: "Pairs of columns: a training image, then its reconstruction (the decoder's image at the encoder's mean)" };

/**
 * PNG grids of a VAE or CVAE in training, every `every` steps and at the end (also as final):
 * `reconstructions-step-0000100.png`, a fixed set of training images chosen from the run's seed,
 * each beside its reconstruction (the decoder at the encoder's mean; pairs of columns: input,
 * reconstruction); and `samples-step-0000100.png`, the decoder's images of fixed latents drawn
 * from the run's seed (the same in every grid of a run, resumed or not). For a CVAE the samples
 * have one column per class, column j showing class j, and each row shares one latent; with
 * class names, the captions go to `captions.json` and into each samples PNG, as `sampleGrids` does.
 */
export function vaeGrids(options: VaeGridsOptions): TrainCallback<VaeContext> {
  const { every, count = 64, dir, classNames } = checkOptions(options);
  let plan: Plan | undefined;
  const write = async (name: string, vae: Vae) => {
    const { folder, reconstructions, layout, z, labels, text } = plan!;
    await writeGrid(join(folder, `reconstructions-${name}`), await reconstructionTiles(vae, reconstructions), reconstructions.rows, reconstructionText);
    await writeGrid(join(folder, `samples-${name}`), decodeLatents(vae, z, labels), layout.rows, text);
  };
  return {
    async onTrainBegin(context) {
      plan = await planGrids(context, count, classNames, dir);
    },
    async onBatchEnd(step, _logs, context) {
      if (step % every === 0) await write(stepFileName(step), context.vae);
    },
    async onTrainEnd(_logs, context) {
      await write('final.png', context.vae);
    },
  };
}

async function planGrids(context: VaeContext, count: number, classNames: readonly string[] | undefined, dir: string | undefined): Promise<Plan> {
  const { vae, data, seed } = context;
  const { spec } = vae;
  const layout = layoutFor({
    caller: 'vaeGrids',
    name: spec.name,
    part: 'decoder',
    takesLabels: traitsOf(spec).generatorTakesLabels,
    numClasses: spec.numClasses,
    count,
    classNames,
    defaultClassNames: spec.classNames?.length === spec.numClasses ? spec.classNames : data.classNames,
  });
  const reconstructions = chooseReconstructions(vae, data, Math.max(1, Math.floor(count / 2)), reconstructionSeed(seed));
  const folder = gridFolder(dir, context.store);
  const text = layout.captions === undefined ? undefined : await writeCaptions(folder, layout.captions);
  const z = latentValues(spec.latentDim, layout, latentSeed(seed));
  return { folder, reconstructions, layout, z, labels: layout.labels ?? new Int32Array(0), text };
}

const schema = zod.strictObject({
  every: positiveInt,
  count: positiveInt.optional(),
  dir: zod.string().min(1, { error: 'expected a non-empty path' }).optional(),
  classNames: zod.array(zod.string()).optional(),
});

function checkOptions(options: VaeGridsOptions): VaeGridsOptions {
  parseOptions(schema, options, 'vaeGrids');
  return options;
}
