import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@dgm/core';
import { augmentation } from './augmentation.js';
import { casAndGanTest } from './cas.js';
import { describeProtocol, type ClassifierProtocol } from './classifier.js';
import { GeneratorCache, type ExperimentContext } from './context.js';
import { loadDatasets, type Datasets } from './datasets.js';
import { discriminatorAsClassifier } from './discriminator.js';
import type { ExperimentName, ExperimentOptions } from './options.js';
import { writeReport, type Report } from './report.js';
import type { ResultRow } from './results.js';
import { semiSupervised } from './semi-supervised.js';

const experiments: Record<ExperimentName, (context: ExperimentContext) => Promise<ResultRow[]>> = {
  ssgan: semiSupervised,
  augmentation,
  discriminator: discriminatorAsClassifier,
  cas: casAndGanTest,
};

/**
 * Runs the chosen experiments in order on the dataset (the backend already initialized) and
 * writes results.md and results.json after each, so that a run stopped midway keeps what it
 * measured. Returns the report.
 */
export async function runExperiments(options: ExperimentOptions, log: (line: string) => void = console.log): Promise<Report> {
  const startedAt = new Date();
  const data = await loadDatasets(options);
  checkAgainstData(options, data);
  log(`data: ${data.train.name}, ${data.train.count} training and ${data.test.count} test images of ${data.train.shape.join('×')}`);
  const protocol: ClassifierProtocol = { epochs: options.classifierEpochs, minSteps: options.classifierMinSteps, widths: options.widths };
  const generators = new GeneratorCache(options, data, log);
  const rows: ResultRow[] = [];
  const report = (): Report => ({
    dataset: data.train.name,
    started: startedAt.toISOString(),
    minutes: (Date.now() - startedAt.getTime()) / 60_000,
    environment: environment(),
    options,
    protocol: describeProtocol(protocol),
    rows,
  });
  try {
    for (const name of options.experiments) {
      log(`experiment: ${name}`);
      rows.push(...(await experiments[name]({ options, data, protocol, generators, log })));
      await writeReport(report(), options.out);
    }
  } finally {
    generators.dispose();
  }
  return report();
}

/** Refuses, before any training, what the data cannot give: labels not split evenly over its classes, or more than it has. */
function checkAgainstData(options: ExperimentOptions, { train }: Datasets): void {
  const classes = train.classNames.length;
  const smallest = Math.min(...train.classNames.map((_, c) => train.labels!.filter((l) => l === c).length));
  if (options.experiments.includes('ssgan') && (options.labels % classes !== 0 || options.labels / classes > smallest)) {
    throw new InvalidArgumentError(`--labels must be a multiple of the ${classes} classes, at most ${smallest} per class here, got ${options.labels}`);
  }
  const tooMany = options.perClass.find((k) => k !== 'all' && k > smallest);
  if (tooMany !== undefined && (options.experiments.includes('augmentation') || options.experiments.includes('discriminator'))) {
    throw new InvalidArgumentError(`--per-class ${tooMany}: the smallest class of the training data has ${smallest} images`);
  }
}

function environment(): Record<string, string | number> {
  return { backend: tf.getBackend(), cpu: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.availableParallelism(), node: process.version, tfjs: tf.version_core };
}
