import { InvalidArgumentError, type ImageShape } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import { loadCifar10, loadFashionMnist, loadImageFolder, loadMnist } from '@dgm/data/node';
import type { ShippedExtractor } from '@dgm/metrics';

/** What `--data` names: a built-in dataset (CIFAR-10 from a folder or a download), or a folder of class subfolders. */
export type DataSpec =
  | { readonly kind: 'mnist' | 'fashion-mnist' }
  | { readonly kind: 'cifar10'; readonly dir: string | undefined }
  | { readonly kind: 'folder'; readonly dir: string };

export const dataSpecHelp = 'mnist, fashion-mnist, cifar10 (downloaded once to the cache), cifar10:DIR (the binary batches in DIR) or folder:DIR (one subfolder of PNG/JPEG images per class)';

/** Parses `--data`; an InvalidArgumentError names what it takes. */
export function parseDataSpec(text: string): DataSpec {
  const [kind, ...rest] = text.split(':');
  const dir = rest.join(':');
  if ((kind === 'mnist' || kind === 'fashion-mnist') && rest.length === 0) return { kind };
  if (kind === 'cifar10') return { kind, dir: rest.length === 0 ? undefined : nonEmpty(dir, text) };
  if (kind === 'folder') return { kind, dir: nonEmpty(dir, text) };
  throw new InvalidArgumentError(`data: expected ${dataSpecHelp}, got ${JSON.stringify(text)}`);
}

function nonEmpty(dir: string, text: string): string {
  if (dir === '') throw new InvalidArgumentError(`data: ${JSON.stringify(text)} names no folder after the colon`);
  return dir;
}

/** The images of a split. A folder has one split: its images. `imageShape` is what a folder's images are brought to. */
export async function loadData(spec: DataSpec, split: 'train' | 'test', imageShape: ImageShape): Promise<Dataset> {
  switch (spec.kind) {
    case 'mnist':
      return loadMnist({ split });
    case 'fashion-mnist':
      return loadFashionMnist({ split });
    case 'cifar10':
      return loadCifar10({ split, source: spec.dir === undefined ? { download: true } : { dir: spec.dir } });
    case 'folder':
      if (split === 'test') throw new InvalidArgumentError(`data folder:${spec.dir} has no test split: give --reference train or a statistics file`);
      return loadImageFolder({ dir: spec.dir, shape: imageShape });
  }
}

/** The shipped classifier that scores images of this data (FID, IS, GAN-test), if there is one. */
export function extractorFor(spec: DataSpec): ShippedExtractor | undefined {
  return spec.kind === 'mnist' ? 'mnist-cnn' : spec.kind === 'fashion-mnist' ? 'fashion-mnist-cnn' : undefined;
}

/** The image shape of a dataset, known before loading it (a folder's is the config's). */
export function imageShapeOf(spec: DataSpec, folderShape: ImageShape): ImageShape {
  return spec.kind === 'cifar10' ? [32, 32, 3] : spec.kind === 'folder' ? folderShape : [28, 28, 1];
}
