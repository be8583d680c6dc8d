import { parseArgs } from 'node:util';
import * as z from 'zod';
import { InvalidArgumentError, type BackendChoice } from '@dgm/core';

export const experimentNames = ['ssgan', 'augmentation', 'discriminator', 'cas'] as const;
export type ExperimentName = (typeof experimentNames)[number];
export const generatorNames = ['cgan', 'cgan-projection', 'acgan', 'cvae'] as const;
export type GeneratorName = (typeof generatorNames)[number];
export type DatasetName = 'mnist' | 'fashion-mnist' | 'cifar10';
/** Labeled images per class, or every training image. */
export type LabelsPerClass = number | 'all';

export interface ExperimentOptions {
  readonly dataset: DatasetName;
  /** CIFAR-10's folder (holding cifar-10-batches-bin), or the IDX files of MNIST / Fashion-MNIST. */
  readonly dataDir: string | undefined;
  /** Download the dataset (CIFAR-10: 163 MB) into the cache. */
  readonly download: boolean;
  readonly experiments: readonly ExperimentName[];
  readonly generators: readonly GeneratorName[];
  /** The semi-supervised GAN's labels, all classes alike. */
  readonly labels: number;
  /** Augmentation and the D-as-classifier rows: labeled images per class. */
  readonly perClass: readonly LabelsPerClass[];
  /** Seeds seed, seed + 1, …: of data choice, weights and order. */
  readonly seeds: number;
  readonly seed: number;
  /** Training time of each generative model (the SSGAN has its own). */
  readonly minutes: number;
  readonly ssganMinutes: number;
  /** Step limit of each generative model (whichever of time and steps ends first). */
  readonly steps: number;
  /** Generated images mixed into the classifier's data for augmentation. */
  readonly generated: number;
  /** CAS: generated images the classifier trains on (default as many as the real training set). */
  readonly casSamples: number | undefined;
  /** Every classifier: epochs over its training set, and at least this many steps. */
  readonly classifierEpochs: number;
  readonly classifierMinSteps: number;
  /** Widths of every model (generators, discriminators, classifiers); default each model's own. */
  readonly widths: number | undefined;
  /** Only the first N training and N test images (for quick trials). */
  readonly limit: number | undefined;
  readonly backend: BackendChoice;
  readonly out: string;
}

export const usage = `usage: pnpm demo:classification [--dataset mnist|fashion-mnist|cifar10] [--data-dir DIR] [--download]
  [--experiments ssgan,augmentation,discriminator,cas] [--generators cgan,cgan-projection,acgan,cvae]
  [--labels N] [--per-class 10,100,all] [--seeds N] [--seed N] [--minutes M] [--ssgan-minutes M] [--steps N]
  [--generated N] [--cas-samples N] [--classifier-epochs N] [--classifier-min-steps N] [--widths N] [--limit N]
  [--backend auto|tensorflow|wasm|cpu] [--out DIR]

Generative models helping image classification, each measured on the real test set:
  ssgan          the semi-supervised GAN (Salimans et al. 2016) with --labels labels (default 100),
                 its D (and its weight average) as a classifier, beside a classifier of the labels alone;
  augmentation   a classifier trained on --per-class real images per class, alone and mixed with
                 labeled samples of each --generators model trained on the same images, over --seeds seeds;
  discriminator  the AC-GAN's auxiliary classifier at each --per-class;
  cas            each conditional model trained on the whole training set: CAS (a classifier trained
                 on generated images only) and GAN-test (a real-data classifier on generated images),
                 beside the same classifier trained on real data.
Each generative model trains for --minutes (default 10; the SSGAN --ssgan-minutes, default 30) or
--steps, whichever ends first. Writes results.md, results.json and per-class sample grids to --out.
CIFAR-10 needs --data-dir DIR (the folder holding cifar-10-batches-bin) or --download.`;

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      dataset: { type: 'string', default: 'mnist' },
      'data-dir': { type: 'string' },
      download: { type: 'boolean', default: false },
      experiments: { type: 'string', default: experimentNames.join(',') },
      generators: { type: 'string', default: generatorNames.join(',') },
      labels: { type: 'string', default: '100' },
      'per-class': { type: 'string', default: '10,100,all' },
      seeds: { type: 'string', default: '3' },
      seed: { type: 'string', default: '0' },
      minutes: { type: 'string', default: '10' },
      'ssgan-minutes': { type: 'string', default: '30' },
      steps: { type: 'string', default: '1000000' },
      generated: { type: 'string', default: '10000' },
      'cas-samples': { type: 'string' },
      'classifier-epochs': { type: 'string', default: '5' },
      'classifier-min-steps': { type: 'string', default: '500' },
      widths: { type: 'string' },
      limit: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
}

const count = (min: number) => z.coerce.number<string>().pipe(z.int().min(min));
const list = <T extends z.ZodType<unknown, string>>(item: T) => z.string().transform((s) => s.split(',').filter((x) => x !== '')).pipe(z.array(item).min(1));
const perClassItem = z.union([z.literal('all'), count(1)]);

const schema = z.object({
  dataset: z.enum(['mnist', 'fashion-mnist', 'cifar10']),
  'data-dir': z.string().min(1).optional(),
  download: z.boolean(),
  experiments: list(z.enum(experimentNames)),
  generators: list(z.enum(generatorNames)),
  labels: count(1),
  'per-class': list(perClassItem),
  seeds: count(1),
  seed: count(0),
  minutes: z.coerce.number<string>().positive(),
  'ssgan-minutes': z.coerce.number<string>().positive(),
  steps: count(1),
  generated: count(1),
  'cas-samples': count(1).optional(),
  'classifier-epochs': count(1),
  'classifier-min-steps': count(1),
  widths: count(1).optional(),
  limit: count(1).optional(),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']),
  out: z.string().min(1).optional(),
  help: z.boolean(),
});

/** Parses the command line; throws InvalidArgumentError naming the flag, with the usage, on bad input. */
export function parseOptions(args: readonly string[], now = new Date()): ExperimentOptions | 'help' {
  let values;
  try {
    values = parse(args).values;
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}\n\n${usage}`, { cause: error });
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = String(issue.path[0]);
    throw new InvalidArgumentError(`--${flag}: ${issue.message} (got ${JSON.stringify((values as Record<string, unknown>)[flag])})\n\n${usage}`);
  }
  const o = parsed.data;
  if (o.help) return 'help';
  if (o.dataset === 'cifar10' && o['data-dir'] === undefined && !o.download) {
    throw new InvalidArgumentError(`--dataset cifar10 needs --data-dir DIR (the folder holding cifar-10-batches-bin) or --download\n\n${usage}`);
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return {
    dataset: o.dataset,
    dataDir: o['data-dir'],
    download: o.download,
    experiments: [...new Set(o.experiments)],
    generators: [...new Set(o.generators)],
    labels: o.labels,
    perClass: [...new Set(o['per-class'])],
    seeds: o.seeds,
    seed: o.seed,
    minutes: o.minutes,
    ssganMinutes: o['ssgan-minutes'],
    steps: o.steps,
    generated: o.generated,
    casSamples: o['cas-samples'],
    classifierEpochs: o['classifier-epochs'],
    classifierMinSteps: o['classifier-min-steps'],
    widths: o.widths,
    limit: o.limit,
    backend: o.backend,
    out: o.out ?? `runs/generative-classification-${o.dataset}-${stamp}`,
  };
}
