import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { writeAtomically } from '@dgm/core/node';
import { imageGrid } from '@dgm/data';
import { writePng } from '@dgm/data/node';
import type { CheckpointStore } from '../checkpoint-store.js';

/** The folder of a run's grids: `dir`, else `samples` beside the store's checkpoints (or ./samples). */
export function gridFolder(dir: string | undefined, store: CheckpointStore | undefined): string {
  return dir ?? join(store?.location ?? '.', 'samples');
}

/** A step's grid name: `${prefix}step-0000100.png`. */
export function stepFileName(step: number, prefix = ''): string {
  return `${prefix}step-${String(step).padStart(7, '0')}.png`;
}

/**
 * Writes the column captions of a conditional grid to `captions.json` (`{ "columns": [...] }`)
 * in `folder`, and returns the PNG tEXt chunk that carries them (`Description`).
 */
export async function writeCaptions(folder: string, captions: readonly string[]): Promise<Readonly<Record<string, string>>> {
  await writeAtomically(join(folder, 'captions.json'), `${JSON.stringify({ columns: captions }, null, 2)}\n`);
  return { Description: `One column per class, left to right: ${latin1Json(captions)}` };
}

/** Tiles `images` ([n, h, w, c] in [−1, 1], disposed here) into `rows` rows and writes them as a PNG, with `text` as tEXt chunks. */
export async function writeGrid(path: string, images: tf.Tensor4D, rows: number, text: Readonly<Record<string, string>> | undefined): Promise<void> {
  let grid;
  try {
    grid = await imageGrid({ images, rows });
  } finally {
    images.dispose();
  }
  await writePng(path, text === undefined ? grid : { ...grid, text });
}

/** JSON whose characters beyond Latin-1 are \u escapes, as a PNG tEXt chunk needs. */
export function latin1Json(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
