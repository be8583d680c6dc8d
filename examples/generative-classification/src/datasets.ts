import { subset, type Dataset } from '@dgm/data';
import { loadCifar10, loadFashionMnist, loadMnist, type DatasetSource } from '@dgm/data/node';
import type { DatasetName, ExperimentOptions } from './options.js';

export interface Datasets {
  readonly train: Dataset;
  readonly test: Dataset;
  /** The shipped extractor trained on this dataset's real images (for GAN-test), where one ships. */
  readonly shippedClassifier: 'mnist-cnn' | 'fashion-mnist-cnn' | undefined;
}

const shipped: Record<DatasetName, Datasets['shippedClassifier']> = { mnist: 'mnist-cnn', 'fashion-mnist': 'fashion-mnist-cnn', cifar10: undefined };

/** The dataset's train and test splits (the first --limit images of each, when given). */
export async function loadDatasets(options: Pick<ExperimentOptions, 'dataset' | 'dataDir' | 'download' | 'limit'>): Promise<Datasets> {
  const source: DatasetSource = options.dataDir !== undefined ? { dir: options.dataDir } : options.download ? { download: true } : 'embedded';
  const load = async (split: 'train' | 'test') => {
    const data =
      options.dataset === 'cifar10'
        ? await loadCifar10({ split, source: source as Exclude<DatasetSource, 'embedded'> })
        : await (options.dataset === 'mnist' ? loadMnist : loadFashionMnist)({ split, source });
    const n = Math.min(options.limit ?? data.count, data.count);
    return n === data.count ? data : subset(data, Array.from({ length: n }, (_, i) => i));
  };
  return { train: await load('train'), test: await load('test'), shippedClassifier: shipped[options.dataset] };
}
