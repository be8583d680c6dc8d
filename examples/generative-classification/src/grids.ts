import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { imageGrid, type Dataset, type ImageGridOptions } from '@dgm/data';
import { writePng } from '@dgm/data/node';

/** A PNG with a row per class: the first `columns` images of each class in `data` (float32 in [0, 1] or uint8). */
export async function writeClassGrid(path: string, data: Dataset, columns = 10): Promise<void> {
  const size = data.shape[0] * data.shape[1] * data.shape[2];
  const chosen = data.classNames.flatMap((_, c) => {
    const indices: number[] = [];
    for (let i = 0; i < data.count && indices.length < columns; i++) if (data.labels![i] === c) indices.push(i);
    return indices;
  });
  const pixels = new Float32Array(chosen.length * size);
  chosen.forEach((i, at) => pixels.set(Float32Array.from(data.images.subarray(i * size, (i + 1) * size), (v) => (data.images instanceof Uint8Array ? v / 255 : v)), at * size));
  await writeGrid(path, tf.tensor4d(pixels, [chosen.length, ...data.shape]), { rows: data.classNames.length, range: '[0,1]' });
}

/** A PNG of `images` (in [−1, 1] unless said), which it disposes. */
export async function writeGrid(path: string, images: tf.Tensor4D, layout: Omit<ImageGridOptions, 'images'> = {}): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writePng(path, await imageGrid({ images, ...layout }));
  } finally {
    images.dispose();
  }
}
