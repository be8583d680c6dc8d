import '@tensorflow/tfjs-layers'; // registers the layers the saved models use
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@dgm/core';
import { startBackend } from './backend.js';
import { imageGrid } from '@dgm/data';
import { writePng } from '@dgm/data/node';
import { generate, generateVae, type ClassChoice } from '@dgm/models';
import type { Io } from './io.js';
import { chosenGenerator, disposeTrained, loadTrained, takesClass, type Trained } from './load-trained.js';

export interface SampleFlags {
  readonly run: string;
  readonly n: number;
  readonly class?: string;
  readonly ema?: boolean;
  readonly seed: number;
  readonly out?: string;
  readonly outDir?: string;
}

/** `dgm sample`: images of a run's generator (EMA by default) or VAE decoder, as one grid or one PNG each. */
export async function sample(flags: SampleFlags, io: Io): Promise<void> {
  if (flags.out !== undefined && flags.outDir !== undefined) throw new InvalidArgumentError('sample: give --out (a grid) or --out-dir (one PNG per image), not both');
  await startBackend();
  const trained = await loadTrained(flags.run);
  try {
    const classes = flags.class === undefined ? undefined : [classChoice(flags.class, trained)];
    const { images, labels } = draw(trained, flags, classes);
    try {
      if (flags.outDir !== undefined) return void (await writeEach(images, labels, resolve(flags.outDir), io));
      const out = resolve(flags.out ?? join(flags.run, 'samples', 'sample.png'));
      await writePng(out, await imageGrid({ images }));
      io.log(`${out}: ${images.shape[0]} images of step ${trained.step}${classes === undefined ? '' : `, class ${flags.class}`}`);
    } finally {
      images.dispose();
    }
  } finally {
    disposeTrained(trained);
  }
}

function draw(trained: Trained, flags: SampleFlags, classes: ClassChoice[] | undefined) {
  const options = { count: flags.n, seed: flags.seed, ...(classes === undefined ? {} : { classes }) };
  if (trained.kind === 'vae') return generateVae({ vae: trained.vae, ...options });
  return generate({ gan: trained.gan, generator: chosenGenerator(trained, flags.ema, 'sample').model, ...options });
}

/** `--class`: an index, or a class name of the run's data. */
function classChoice(text: string, trained: Trained): ClassChoice {
  const spec = trained.kind === 'gan' ? trained.gan.spec : trained.vae.spec;
  if (!takesClass(trained)) throw new InvalidArgumentError(`sample: --class: ${spec.name} is not conditional (it takes no class)`);
  return /^\d+$/.test(text) ? Number(text) : text;
}

async function writeEach(images: tf.Tensor4D, labels: Int32Array | undefined, dir: string, io: Io): Promise<void> {
  const count = images.shape[0];
  for (let i = 0; i < count; i++) {
    const one = tf.slice(images, [i], [1]);
    const name = `${String(i).padStart(5, '0')}${labels === undefined ? '' : `-class-${labels[i]}`}.png`;
    try {
      await writePng(join(dir, name), await imageGrid({ images: one, padding: 0 }));
    } finally {
      one.dispose();
    }
  }
  io.log(`${dir}: ${count} PNGs`);
}
