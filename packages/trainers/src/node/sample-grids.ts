import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRandom } from '@dgm/core';
import { imageGrid } from '@dgm/data';
import { writePng } from '@dgm/data/node';
import { generatorInputs } from '@dgm/models';
import type { TrainCallback, TrainContext } from '../callbacks.js';

export interface SampleGridsOptions {
  /** Write a grid every this many steps (and at the end). */
  readonly every: number;
  /** Images per grid. Default 64. */
  readonly count?: number;
  /** Folder of the PNGs. Default `samples` beside the store's checkpoints (or ./samples). */
  readonly dir?: string;
}

/**
 * PNG grids of samples from a fixed latent batch (and fixed labels 0, 1, … for conditional
 * families), drawn from the run's seed so that every grid of a run, resumed or not, shows the
 * same latents. Uses the EMA generator when there is one. The last is also `final.png`.
 */
export function sampleGrids({ every, count = 64, dir }: SampleGridsOptions): TrainCallback {
  let z: tf.Tensor2D | undefined;
  let labels: tf.Tensor2D | undefined;
  let folder = '';
  const write = async (name: string, context: TrainContext) => {
    const model = context.ema ?? context.gan.generator;
    const images = tf.tidy(() => model.predict(generatorInputs(context.gan.spec, z!, labels)) as tf.Tensor4D);
    const grid = await imageGrid({ images, rows: Math.round(Math.sqrt(count)) });
    images.dispose();
    await writePng(join(folder, name), grid);
  };
  return {
    onTrainBegin(context) {
      const random = createRandom({ seed: context.seed + 7919 });
      z = tf.tensor2d(Float32Array.from({ length: count * context.gan.spec.latentDim }, () => random.normal()), [count, context.gan.spec.latentDim]);
      const k = context.gan.spec.numClasses ?? 1;
      labels = tf.tensor2d(Int32Array.from({ length: count }, (_, i) => i % k), [count, 1], 'int32');
      folder = dir ?? join(context.store?.location ?? '.', 'samples');
    },
    async onBatchEnd(step, _logs, context) {
      if (step % every === 0) await write(`step-${String(step).padStart(7, '0')}.png`, context);
    },
    async onTrainEnd(_logs, context) {
      await write('final.png', context);
      tf.dispose([z!, labels!]);
    },
  };
}
