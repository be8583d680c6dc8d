import { fromArrays, type Dataset } from '@dgm/data';
import { createModel, type Gan, type ModelName } from '@dgm/models';
import { createRandom } from '@dgm/core';

/**
 * 48 noisy 28×28×1 images of 3 classes: a bright 8×8 square at a class-dependent place on a
 * dark background. Easy for D to tell from a fresh G's output.
 */
export function toyData(count = 48): Dataset {
  const random = createRandom({ seed: 42 });
  const images = new Uint8Array(count * 784);
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const c = i % 3;
    labels.push(c);
    for (let p = 0; p < 784; p++) {
      const [y, x] = [Math.floor(p / 28), p % 28];
      const inside = y >= 4 + 6 * c && y < 12 + 6 * c && x >= 10 && x < 18;
      images[i * 784 + p] = Math.max(0, Math.min(255, Math.round((inside ? 230 : 20) + random.normal(0, 10))));
    }
  }
  return fromArrays({ images, shape: [28, 28, 1], labels, classNames: ['top', 'middle', 'bottom'] });
}

export function tinyGan(name: ModelName, seed = 1): Gan {
  return createModel(name, { imageShape: [28, 28, 1], numClasses: 3, latentDim: 8, generatorFilters: 4, discriminatorFilters: 4, seed } as never);
}

export function disposeGan(gan: Gan): void {
  gan.generator.dispose();
  gan.discriminator.dispose();
}
