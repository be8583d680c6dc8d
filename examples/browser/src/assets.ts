import { loadMnist, type Dataset } from '@dgm/data';
import { decodeReferenceStatistics, loadExtractor, type LoadedExtractor, type ReferenceStatistics } from '@dgm/metrics';
import { loadGan, type Gan } from '@dgm/models';

/** A file served beside the page (see vite.config.ts and public/). */
export const served = (path: string): string => new URL(path, document.baseURI).href;

const splits = new Map<'train' | 'test', Promise<Dataset>>();
/** MNIST from its IDX files served with the page, fetched once per split (a failed fetch is tried again). */
export function loadMnistSplit(split: 'train' | 'test'): Promise<Dataset> {
  const prefix = split === 'train' ? 'train' : 't10k';
  if (!splits.has(split)) {
    const loading = loadMnist({ split, source: { images: served(`data/mnist/${prefix}-images-idx3-ubyte`), labels: served(`data/mnist/${prefix}-labels-idx1-ubyte`) } });
    splits.set(split, loading.catch((error: unknown) => (splits.delete(split), Promise.reject(error))));
  }
  return splits.get(split)!;
}

let extractor: Promise<LoadedExtractor> | undefined;
/** The shipped mnist-cnn classifier and feature extractor of @dgm/metrics, loaded once. */
export function mnistCnn(): Promise<LoadedExtractor> {
  return (extractor ??= loadExtractor({ name: 'mnist-cnn', from: served('extractors/mnist-cnn/model.json') }));
}

/** mnist-cnn's feature statistics over MNIST's 60,000 training images, shipped with it. */
export async function mnistReference(): Promise<ReferenceStatistics> {
  const response = await fetch(served('extractors/mnist-cnn/train.stats'));
  if (!response.ok) throw new Error(`cannot fetch mnist-cnn's statistics: HTTP ${response.status}`);
  return decodeReferenceStatistics(new Uint8Array(await response.arrayBuffer()), 'extractors/mnist-cnn/train.stats');
}

/** The conditional GAN trained by scripts/train-pretrained.ts, shipped in public/models. */
export function loadPretrained(): Promise<Gan> {
  return loadGan({ url: served('models/mnist-cgan') });
}
