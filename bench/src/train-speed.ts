// bench/train-speed: trainGan's step for each GAN family at batch 64 on each available
// backend (with @dgm/kernels on wasm and cpu) at 28×28×1, and for DCGAN, cGAN and WGAN-GP at
// 32×32×3 and 64×64×3 (how the step grows with the image): ms per step and images/s (median
// of the timed steps after warm-up), peak RSS and tensor drift, beside the same model's step in
// PyTorch on the CPU where a python with torch is found. Each run is its own process.
// Options: --steps N timed steps (default 10), --warmup N (default 3), --backends list,
// --size-backends list (backends of the larger images' rows, default wasm), --families list
// (default all GANs, then vae and cvae: trainVae at batch 128, dynamically binarized), --python PATH
// (default: the first of python3, /usr/bin/python3, python with torch; none skips it), --merge
// (keep the rows of bench/results/train-speed.json that this run does not measure).
import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend, type BackendName, type ImageShape } from '@dgm/core';
import { fromArrays, takePerClass, type Dataset } from '@dgm/data';
import { loadMnist } from '@dgm/data/node';
import { createModel, familyTraits, modelNames, vaeModelNames, type Gan, type ModelName, type Vae, type VaeModelName } from '@dgm/models';
import { trainGan, trainVae, type RunContext, type StepLogs, type TrainCallback } from '@dgm/trainers';
import { fixed, machine, markdownTable, median, resultsDir, writeResults } from './report.js';
import { findTorch, torchFamilies, torchNote, torchStep, type TorchRun } from './torch-step.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    steps: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    'size-backends': { type: 'string', default: 'wasm' },
    families: { type: 'string', default: [...modelNames, ...vaeModelNames].join(',') },
    python: { type: 'string' },
    merge: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});
const [steps, warmup, batchSize, vaeBatchSize] = [Number(values.steps), Number(values.warmup), 64, 128];
type Family = ModelName | VaeModelName;
const isVae = (family: Family): family is VaeModelName => (vaeModelNames as readonly string[]).includes(family);
const mnistShape: ImageShape = [28, 28, 1];
/** The larger images' rows: DCGAN at both sizes, cGAN and WGAN-GP (5 critic updates, a second-order penalty) at 32×32×3. */
const sizeRows: readonly (readonly [ModelName, ImageShape])[] = [
  ['dcgan', [32, 32, 3]],
  ['dcgan', [64, 64, 3]],
  ['cgan', [32, 32, 3]],
  ['wgan-gp', [32, 32, 3]],
];

interface Run {
  family: Family;
  backend: string;
  imageShape: ImageShape;
  dUpdatesPerStep: number;
  /** Images per step (64; a VAE's 128). */
  batchSize?: number;
  msPerStep: number;
  imagesPerSecond: number;
  peakRssMiB: number;
  tensorDrift: number;
  /** When it was measured (rows merged from earlier results keep theirs). */
  date?: string;
  /** Threads of @dgm/kernels (PyTorch gets as many). */
  threads: number;
  /** G and D's, or the encoder's and decoder's. */
  parameters: Record<string, number>;
  torch?: TorchRun;
  error?: string;
}

/** Random pixels with labels 0–9 for the larger images: a step's time does not depend on them, and nothing is downloaded. */
function randomImages(shape: ImageShape, count = 2048): Dataset {
  const images = randomFillSync(new Uint8Array(count * shape[0] * shape[1] * shape[2]));
  return fromArrays({ images, shape, labels: Int32Array.from({ length: count }, (_, i) => i % 10), name: 'random' });
}

/** One (family, backend, image) run, in this process; prints its result as JSON. */
async function child(family: Family, backend: BackendName, shape: ImageShape): Promise<void> {
  const { fastKernels } = await initBackend({ backend });
  const data = shape[0] === 28 ? await loadMnist({ split: 'train' }) : randomImages(shape);
  const logs: StepLogs[] = [];
  let tensorsAfterWarmup = 0;
  let tensorsAtEnd = 0;
  const timer: TrainCallback<RunContext> = {
    onBatchEnd: (step, l) => {
      if (step === warmup) tensorsAfterWarmup = tf.memory().numTensors;
      if (step === warmup + steps) tensorsAtEnd = tf.memory().numTensors;
      if (step > warmup) logs.push(l);
    },
  };
  const models = isVae(family) ? await trainVaeRun(family, data, shape, timer) : await trainGanRun(family, data, shape, timer);
  const run: Run = {
    family,
    backend,
    imageShape: shape,
    dUpdatesPerStep: family === 'wgan-gp' ? 5 : isVae(family) ? 0 : 1,
    batchSize: isVae(family) ? vaeBatchSize : batchSize,
    msPerStep: median(logs.map((l) => l['ms']!)),
    imagesPerSecond: median(logs.map((l) => l['imagesPerSecond']!)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    tensorDrift: tensorsAtEnd - tensorsAfterWarmup,
    // "on (2 threads)"; without @dgm/kernels, the cores.
    threads: Number(/\((\d+) threads?\)/.exec(fastKernels.detail)?.[1] ?? os.availableParallelism()),
    parameters: Object.fromEntries(Object.entries(models).map(([name, model]) => [name, model.countParams()])),
  };
  console.log(JSON.stringify(run));
}

async function trainGanRun(family: ModelName, data: Dataset, shape: ImageShape, timer: TrainCallback<RunContext>): Promise<Omit<Gan, 'spec'>> {
  const gan = createModel(family, { imageShape: shape, numClasses: 10 } as never);
  const result = await trainGan({
    gan,
    data,
    ...(family.startsWith('ssgan') ? { labeled: takePerClass({ dataset: data, perClass: 10 }) } : {}),
    steps: warmup + steps,
    batchSize,
    callbacks: [timer],
  });
  result.ema?.dispose();
  return { generator: gan.generator, discriminator: gan.discriminator };
}

async function trainVaeRun(family: VaeModelName, data: Dataset, shape: ImageShape, timer: TrainCallback<RunContext>): Promise<Omit<Vae, 'spec'>> {
  const vae = createModel(family, { imageShape: shape, ...(familyTraits[family].trainsOnLabels ? { numClasses: 10 } : {}) } as never);
  await trainVae({ vae, data, steps: warmup + steps, batchSize: vaeBatchSize, binarize: 'dynamic', callbacks: [timer] });
  return { encoder: vae.encoder, decoder: vae.decoder };
}

/** Every row to run: per backend, each family at 28×28×1, then at the larger sizes where this backend has them. */
function plan(backends: readonly BackendName[], families: readonly Family[]): { family: Family; backend: BackendName; shape: ImageShape }[] {
  const sizeBackends = (values['size-backends'] ?? '').split(',');
  return backends.flatMap((backend) =>
    families.flatMap((family) => [
      { family, backend, shape: mnistShape },
      ...sizeRows.filter(([f]) => f === family && sizeBackends.includes(backend)).map(([, shape]) => ({ family, backend, shape })),
    ]),
  );
}

/** Runs a row in its own process; a failure is a row with the error's last line. */
function spawnRun(family: Family, backend: BackendName, shape: ImageShape): Run {
  const script = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, script, 'train-speed', `--child=${family}:${backend}:${shape.join('x')}`, `--steps=${steps}`, `--warmup=${warmup}`];
  const out = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = out.stdout.split('\n').reverse().find((l) => l.startsWith('{'));
  if (line !== undefined) return JSON.parse(line) as Run;
  const error = out.stderr.trim().split('\n').at(-1) ?? `exit ${out.status}`;
  return { family, backend, imageShape: shape, dUpdatesPerStep: 0, msPerStep: Number.NaN, imagesPerSecond: Number.NaN, peakRssMiB: 0, tensorDrift: 0, threads: 0, parameters: {}, error };
}

/** PyTorch's step for each model of the runs it builds, once per model (after the dgm runs, so that they do not share the cores). */
function addTorch(runs: Run[], python: string): void {
  const byModel = new Map<string, TorchRun>();
  for (const run of runs) {
    if (isVae(run.family) || !torchFamilies.includes(run.family) || run.error !== undefined) continue;
    const key = `${run.family} ${run.imageShape.join('×')}`;
    let torch = byModel.get(key);
    if (torch === undefined) {
      process.stdout.write(`pytorch ${key}…\n`);
      torch = torchStep(python, run.family, run.imageShape, { steps, warmup, threads: run.threads });
      byModel.set(key, torch);
    }
    run.torch = torch;
  }
}

/** The header and table of the results. */
function report(runs: readonly Run[], asked: readonly string[], available: readonly BackendName[], torch: ReturnType<typeof findTorch>, merged: readonly string[]): string {
  const image = (r: Run) => r.imageShape.join('×');
  const ratio = (r: Run) => (r.torch === undefined ? Number.NaN : r.torch.msPerStep / r.msPerStep);
  const table = markdownTable(
    ['backend', 'family', 'image', 'batch', 'D updates / step', 'ms / step', 'PyTorch CPU ms / step', 'PyTorch / dgm', 'real images / s', 'peak RSS MiB', 'tensors: last step − warm-up'],
    runs.map((r) => [r.backend, r.family, image(r), r.batchSize ?? batchSize, isVae(r.family) ? '–' : r.dUpdatesPerStep, r.error ?? fixed(r.msPerStep, 0), r.torch?.error ?? fixed(r.torch?.msPerStep ?? Number.NaN, 0), fixed(ratio(r), 2), fixed(r.imagesPerSecond, 0), r.peakRssMiB, r.tensorDrift]),
  );
  const sizes = sizeRows.map(([family, shape]) => `${family} ${shape.join('×')}`).join(', ');
  const threads = [...new Set(runs.map((r) => r.threads).filter((t) => t > 0))].join(', ');
  const header = [
    `trainGan, each family with its default recipe and default widths, batch ${batchSize}, EMA on; the vae and cvae rows: trainVae at batch ${vaeBatchSize} ` +
      `(one update of encoder and decoder on the negative ELBO, MNIST dynamically binarized), default widths; ` +
      `median of ${steps} steps after ${warmup} warm-up steps, each run in its own process (@dgm/kernels on for wasm and cpu, ${threads} threads). ` +
      `A step is every phase of the recipe once: WGAN-GP makes 5 critic updates per step, so it reads 5 batches of real images. ` +
      `The 28×28×1 rows train on MNIST; the larger images' rows (${sizes}; on ${values['size-backends']}) on random pixels of that shape with labels 0–9, which a step's time does not depend on.`,
    `Backends asked for and not listed could not be started here: ${asked.filter((b) => !available.includes(b as BackendName)).join(', ') || 'none'}.`,
    torchNote(runs, torch, { steps, warmup }),
    ...merged,
    `Machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  ];
  return `${header.join('\n\n')}\n\n${table}`;
}

if (values.child !== undefined) {
  const [family, backend, shape] = values.child.split(':') as [ModelName, BackendName, string];
  await child(family, backend, shape.split('x').map(Number) as unknown as ImageShape);
} else {
  const families = (values.families ?? '').split(',') as Family[];
  const known: readonly string[] = [...modelNames, ...vaeModelNames];
  const unknown = families.filter((f) => !known.includes(f));
  if (unknown.length > 0) throw new Error(`train-speed: unknown families ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const asked = (values.backends ?? '').split(',');
  const available = asked.filter((b) => {
    const probe = spawnSync(process.execPath, [...process.execArgv, '-e', `import('@dgm/core').then((m) => m.initBackend({ backend: '${b}' })).then(() => process.exit(0), () => process.exit(1))`], { stdio: 'ignore' });
    return probe.status === 0;
  }) as BackendName[];
  const runs: Run[] = [];
  for (const { family, backend, shape } of plan(available, families)) {
    process.stdout.write(`${backend} ${family} ${shape.join('×')}…\n`);
    runs.push(spawnRun(family, backend, shape));
  }
  const found = findTorch(values.python);
  if ('python' in found) addTorch(runs, found.python);
  const now = new Date().toISOString();
  const previous = values.merge ? previousResults() : undefined;
  const measured = (r: Run) => `${r.backend} ${r.family} ${r.imageShape.join('×')}`;
  const kept = (previous?.runs ?? []).filter((old) => !runs.some((r) => measured(r) === measured(old))).map((old) => ({ ...old, date: old.date ?? previous!.machine.date }));
  const all = [...kept, ...runs.map((r) => ({ ...r, date: now }))];
  // Kept rows' PyTorch figures come from the run that measured them.
  const torch = 'python' in found || previous === undefined ? found : previous.torch;
  const merged = kept.length === 0 ? [] : [`Merged results: ${runs.map(measured).join(', ')} measured ${now}; the other rows (and their PyTorch figures) ${[...new Set(kept.map((r) => r.date))].join(', ')}.`];
  writeResults('train-speed', report(all, asked, available, torch, merged), { machine: machine(), batchSize, steps, warmup, torch, runs: all });
}

/** The committed results (for --merge). */
function previousResults(): { runs: Run[]; torch: ReturnType<typeof findTorch>; machine: { date: string } } {
  return JSON.parse(readFileSync(`${resultsDir}/train-speed.json`, 'utf8')) as ReturnType<typeof previousResults>;
}
