import { join } from 'node:path';
import { takePerClass, type Dataset } from '@dgm/data';
import type { ClassifierProtocol } from './classifier.js';
import type { Datasets } from './datasets.js';
import { trainGenerator, type TrainedGenerator } from './generators.js';
import { writeClassGrid } from './grids.js';
import type { ExperimentOptions, GeneratorName, LabelsPerClass } from './options.js';

/** What every experiment sees. */
export interface ExperimentContext {
  readonly options: ExperimentOptions;
  readonly data: Datasets;
  readonly protocol: ClassifierProtocol;
  readonly generators: GeneratorCache;
  readonly log: (line: string) => void;
}

/** The labeled training images of a run: `perClass` of each class (seeded), or all of them. */
export function labeledSubset(train: Dataset, perClass: LabelsPerClass, seed: number): Dataset {
  return perClass === 'all' ? train : takePerClass({ dataset: train, perClass, seed });
}

/**
 * Conditional models trained once per (model, labels per class, seed) and shared by the
 * experiments (augmentation, the AC-GAN's D, CAS); each writes a per-class sample grid when
 * trained. Disposes them all at the end.
 */
export class GeneratorCache {
  readonly #trained = new Map<string, TrainedGenerator>();

  constructor(
    private readonly options: ExperimentOptions,
    private readonly data: Datasets,
    private readonly log: (line: string) => void,
  ) {}

  async get(name: GeneratorName, perClass: LabelsPerClass, seed: number): Promise<TrainedGenerator> {
    const key = `${name}-${perClass}-seed${seed}`;
    const known = this.#trained.get(key);
    if (known !== undefined) return known;
    const labeled = labeledSubset(this.data.train, perClass, seed);
    const { minutes, steps, widths, dataset } = this.options;
    this.log(`training ${name} on ${labeled.count} labeled images (${perClass} per class, seed ${seed}) for up to ${minutes} min or ${steps} steps`);
    const trained = await trainGenerator({ name, data: labeled, seed, minutes, steps, widths, binarize: dataset === 'mnist' });
    this.#trained.set(key, trained);
    const grid = join(this.options.out, 'grids', `${key}.png`);
    await writeClassGrid(grid, await trained.sample(10 * labeled.classNames.length, seed));
    this.log(`${name}: ${trained.steps} steps in ${trained.minutes.toFixed(1)} min; samples by class: ${grid}`);
    return trained;
  }

  dispose(): void {
    for (const trained of this.#trained.values()) trained.dispose();
    this.#trained.clear();
  }
}
