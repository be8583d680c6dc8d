import { basename, extname, join } from 'node:path';
import * as z from 'zod';
import { DatasetFormatError, InvalidArgumentError, type ImageShape, parseOptions } from '@dgm/core';
import { createDataset, type Dataset } from '../dataset.js';
import { decodeImage } from '../decode-image.js';
import { fitImage, type ImageFit } from '../fit-image.js';
import { imageShapeSchema, positiveInt } from '../options.js';
import { defaultMaxBytes, listFolder, readInside, realFolder, resolveAny, resolveInside } from './contained.js';

export interface LoadImageFolderOptions {
  /** A folder with one subfolder per class, each holding PNG or JPEG images. */
  readonly dir: string;
  /** [height, width, channels] every image is brought to (channels 1: luma, 3: RGB, 4: RGBA). */
  readonly shape: ImageShape;
  /** 'cover' (default) crops the center to the target aspect ratio, then resizes; 'stretch' only resizes. */
  readonly fit?: ImageFit;
  /** Default 'train'. */
  readonly split?: string;
  /** Largest width × height one source image may declare (PNG IHDR, JPEG frame header). Default 32 Mpx (2^25). */
  readonly maxPixels?: number;
  /** Largest image file read. Default 512 MiB. */
  readonly maxBytes?: number;
}

/** Pixels a source image of a folder may have by default: 32 Mpx (e.g. 6,500 × 5,000), 128 MiB as RGBA. */
export const defaultFolderMaxPixels = 2 ** 25;

const extensions = new Set(['.png', '.jpg', '.jpeg']);

const schema = z.strictObject({
  dir: z.string().min(1),
  shape: imageShapeSchema,
  fit: z.literal(['cover', 'stretch']).optional(),
  split: z.string().min(1).optional(),
  maxPixels: positiveInt.optional(),
  maxBytes: positiveInt.optional(),
});

/**
 * Loads `dir/<class>/<image>`; classes are the subfolders in sorted order. Every class
 * folder and image is resolved to its real path and must stay inside `dir`.
 */
export async function loadImageFolder(options: LoadImageFolderOptions): Promise<Dataset> {
  const { dir, shape, fit = 'cover', split = 'train', maxPixels = defaultFolderMaxPixels, maxBytes = defaultMaxBytes } = parseOptions(
    schema,
    options,
    'loadImageFolder',
  );
  const files = await listImages(dir);
  const size = shape[0] * shape[1] * shape[2];
  const pixels = allocate(files.images.length, shape);
  const labels = new Int32Array(files.images.length);
  for (const [i, { path, label }] of files.images.entries()) {
    const bytes = await readInside(files.root, path, maxBytes, 'loadImageFolder');
    pixels.set(fitImage(decodeImage(bytes, path, maxPixels), shape, fit), i * size);
    labels[i] = label;
  }
  return createDataset({ name: basename(dir), split, shape, count: labels.length, classNames: files.classNames, images: pixels, labels }, dir);
}

/** The output array of `count` images of `shape`, or an InvalidArgumentError saying why it cannot be made. */
function allocate(count: number, shape: ImageShape): Uint8Array {
  const bytes = count * shape[0] * shape[1] * shape[2];
  try {
    return new Uint8Array(bytes);
  } catch (error) {
    throw new InvalidArgumentError(`loadImageFolder: ${count} images of ${shape.join('×')} need ${bytes} bytes, more than can be allocated; use a smaller shape or fewer images`, {
      cause: error,
    });
  }
}

/** The class folders (real folders or symlinks to folders inside `dir`) and the images of each, sorted; paths below the real `dir`. */
async function listImages(dir: string): Promise<{ root: string; classNames: string[]; images: { path: string; label: number }[] }> {
  const caller = 'loadImageFolder';
  const root = await realFolder(dir, caller);
  const classNames: string[] = [];
  for (const entry of await listFolder(root, caller)) {
    if (entry.isDirectory()) classNames.push(entry.name);
    // A symlink is a class when it leads to a folder, which must be inside `dir`.
    else if (entry.isSymbolicLink() && (await resolveAny(root, join(root, entry.name), caller)).isFolder) classNames.push(entry.name);
  }
  classNames.sort();
  if (classNames.length === 0) throw new DatasetFormatError(`${caller}: ${dir} has no class subfolders (expected ${dir}/<class>/<image>.png)`);
  const images: { path: string; label: number }[] = [];
  for (const [label, name] of classNames.entries()) {
    const folder = join(root, name);
    const names = (await listFolder(await resolveInside(root, folder, 'folder', caller), caller))
      .map((e) => e.name)
      .filter((f) => extensions.has(extname(f).toLowerCase()))
      .sort();
    if (names.length === 0) throw new DatasetFormatError(`${caller}: class folder ${folder} has no .png or .jpg images`);
    for (const file of names) images.push({ path: join(folder, file), label });
  }
  return { root, classNames, images };
}
