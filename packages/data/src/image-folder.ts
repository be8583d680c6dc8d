import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DatasetFormatError, InvalidArgumentError, type ImageShape } from '@dgm/core';
import { createDataset, type Dataset } from './dataset.js';
import { centerCrop, resizeImage } from './resize.js';

export interface LoadImageFolderOptions {
  /** A folder with one subfolder per class, each holding PNG or JPEG images. */
  readonly dir: string;
  /** [height, width, channels] every image is brought to (channels 1: luma, 3: RGB, 4: RGBA). */
  readonly shape: ImageShape;
  /** 'cover' (default) crops the center to the target aspect ratio, then resizes; 'stretch' only resizes. */
  readonly fit?: 'cover' | 'stretch';
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
    const decoded = decode(await readFile(path), path);
    const cropped = fit === 'cover' ? centerCrop(decoded.rgba, decoded, { width, height }, 4) : { pixels: decoded.rgba, ...decoded };
    const resized = resizeImage(cropped.pixels, cropped, { width, height }, 4);
    pixels.set(toChannels(resized, channels), i * size);
    labels[i] = label;
  }
  return createDataset({ name: basename(dir), split, shape, count: files.length, classNames, images: pixels, labels }, dir);
}

function decode(bytes: Buffer, path: string): { rgba: Uint8Array; width: number; height: number } {
  try {
    if (extname(path).toLowerCase() === '.png') {
      const png = PNG.sync.read(bytes);
      return { rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length), width: png.width, height: png.height };
    }
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { rgba: image.data, width: image.width, height: image.height };
  } catch (error) {
    throw new DatasetFormatError(`loadImageFolder: cannot decode ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** RGBA to 1 (ITU-R 601 luma), 3 or 4 channels. */
function toChannels(rgba: Uint8Array, channels: number): Uint8Array {
  if (channels === 4) return rgba;
  const n = rgba.length / 4;
  const out = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    const [r, g, b] = [rgba[4 * p]!, rgba[4 * p + 1]!, rgba[4 * p + 2]!];
    if (channels === 1) out[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    else out.set([r, g, b], 3 * p);
  }
  return out;
}
