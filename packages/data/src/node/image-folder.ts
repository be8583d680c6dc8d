import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { DatasetFormatError, InvalidArgumentError, type ImageShape } from '@dgm/core';
import { createDataset, type Dataset } from '../dataset.js';
import { decodeImage } from '../decode-image.js';
import { fitImage, type ImageFit } from '../fit-image.js';

export interface LoadImageFolderOptions {
  /** A folder with one subfolder per class, each holding PNG or JPEG images. */
  readonly dir: string;
  /** [height, width, channels] every image is brought to (channels 1: luma, 3: RGB, 4: RGBA). */
  readonly shape: ImageShape;
  /** 'cover' (default) crops the center to the target aspect ratio, then resizes; 'stretch' only resizes. */
  readonly fit?: ImageFit;
  /** Default 'train'. */
  readonly split?: string;
}

const extensions = new Set(['.png', '.jpg', '.jpeg']);

/** Loads `dir/<class>/<image>`; classes are the subfolders in sorted order. */
export async function loadImageFolder(options: LoadImageFolderOptions): Promise<Dataset> {
  const { dir, shape, fit = 'cover', split = 'train' } = options ?? ({} as LoadImageFolderOptions);
  if (typeof dir !== 'string') throw new InvalidArgumentError(`loadImageFolder: dir must be a folder path, got ${JSON.stringify(dir)}`);
  if (fit !== 'cover' && fit !== 'stretch') throw new InvalidArgumentError(`loadImageFolder: fit must be 'cover' or 'stretch', got ${JSON.stringify(fit)}`);
  if (!Array.isArray(shape) || shape.length !== 3) {
    throw new InvalidArgumentError(`loadImageFolder: shape must be [height, width, channels], got ${JSON.stringify(shape)}`);
  }
  const [height, width, channels] = shape;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new DatasetFormatError(`loadImageFolder: cannot read ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const classNames = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  if (classNames.length === 0) throw new DatasetFormatError(`loadImageFolder: ${dir} has no class subfolders (expected ${dir}/<class>/<image>.png)`);

  const files: { path: string; label: number }[] = [];
  for (const [label, name] of classNames.entries()) {
    const images = (await readdir(join(dir, name))).filter((f) => extensions.has(extname(f).toLowerCase())).sort();
    if (images.length === 0) throw new DatasetFormatError(`loadImageFolder: class folder ${join(dir, name)} has no .png or .jpg images`);
    for (const file of images) files.push({ path: join(dir, name, file), label });
  }
  const size = height * width * channels;
  const pixels = new Uint8Array(files.length * size);
  const labels = new Int32Array(files.length);
  for (const [i, { path, label }] of files.entries()) {
    pixels.set(fitImage(decodeImage(await readFile(path), path), shape, fit), i * size);
    labels[i] = label;
  }
  return createDataset({ name: basename(dir), split, shape, count: files.length, classNames, images: pixels, labels }, dir);
}
