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

/**
 * `count` noisy 28×28×1 images of 3 shapes at random places: a horizontal bar, a vertical
 * bar and a cross (what a translation-invariant classifier can tell apart).
 */
export function toyShapes(count: number, seed: number): Dataset {
  const random = createRandom({ seed });
  const images = new Uint8Array(count * 784);
  const labels = Array.from({ length: count }, (_, i) => i % 3);
  labels.forEach((c, i) => {
    const [cy, cx] = [8 + random.int(12), 8 + random.int(12)];
    for (let p = 0; p < 784; p++) {
      const [dy, dx] = [Math.floor(p / 28) - cy, (p % 28) - cx];
      const horizontal = Math.abs(dy) <= 1 && Math.abs(dx) <= 6;
      const vertical = Math.abs(dx) <= 1 && Math.abs(dy) <= 6;
      const inside = c === 0 ? horizontal : c === 1 ? vertical : (horizontal || vertical) && Math.abs(dx) <= 4 && Math.abs(dy) <= 4;
      images[i * 784 + p] = Math.max(0, Math.min(255, Math.round((inside ? 230 : 20) + random.normal(0, 10))));
    }
  });
  return fromArrays({ images, shape: [28, 28, 1], labels, classNames: ['horizontal', 'vertical', 'cross'] });
}

export function tinyGan(name: ModelName, seed = 1): Gan {
  return createModel(name, { imageShape: [28, 28, 1], numClasses: 3, latentDim: 8, generatorFilters: 4, discriminatorFilters: 4, seed } as never);
}

export function disposeGan(gan: Gan): void {
  gan.generator.dispose();
  gan.discriminator.dispose();
}
