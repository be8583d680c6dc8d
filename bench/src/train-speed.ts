// bench/train-speed: trainGan's step for each GAN family at batch 64 on each available
// backend (with @dgm/kernels on wasm and cpu) at 28×28×1, and for DCGAN, cGAN and WGAN-GP at
// 32×32×3 and 64×64×3 (how the step grows with the image): ms per step and images/s (median
// of the timed steps after warm-up), peak RSS and tensor drift, beside the same model's step in
// PyTorch on the CPU where a python with torch is found. Each run is its own process.
// Options: --steps N timed steps (default 10), --warmup N (default 3), --backends list,
// --size-backends list (backends of the larger images' rows, default wasm), --families list
// (default all), --python PATH (default: the first of python3, /usr/bin/python3, python with torch; none skips it).
import { randomFillSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend, type BackendName, type ImageShape } from '@dgm/core';
import { fromArrays, takePerClass, type Dataset } from '@dgm/data';
import { loadMnist } from '@dgm/data/node';
import { createModel, modelNames, type ModelName } from '@dgm/models';
import { trainGan, type StepLogs } from '@dgm/trainers';
import { fixed, machine, markdownTable, median, writeResults } from './report.js';
import { findTorch, torchFamilies, torchNote, torchStep, type TorchRun } from './torch-step.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    steps: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    'size-backends': { type: 'string', default: 'wasm' },
    families: { type: 'string', default: modelNames.join(',') },
    python: { type: 'string' },
    child: { type: 'string' },
  },
});
const [steps, warmup, batchSize] = [Number(values.steps), Number(values.warmup), 64];
const mnistShape: ImageShape = [28, 28, 1];
/** The larger images' rows: DCGAN at both sizes, cGAN and WGAN-GP (5 critic updates, a second-order penalty) at 32×32×3. */
const sizeRows: readonly (readonly [ModelName, ImageShape])[] = [
  ['dcgan', [32, 32, 3]],
  ['dcgan', [64, 64, 3]],
  ['cgan', [32, 32, 3]],
  ['wgan-gp', [32, 32, 3]],
];

interface Run {
  family: ModelName;
  backend: string;
  imageShape: ImageShape;
  dUpdatesPerStep: number;
  msPerStep: number;
  imagesPerSecond: number;
  peakRssMiB: number;
  tensorDrift: number;
  /** Threads of @dgm/kernels (PyTorch gets as many). */
  threads: number;
  parameters: { generator: number; discriminator: number };
  torch?: TorchRun;
  error?: string;
}

/** Random pixels with labels 0–9 for the larger images: a step's time does not depend on them, and nothing is downloaded. */
function randomImages(shape: ImageShape, count = 2048): Dataset {
  const images = randomFillSync(new Uint8Array(count * shape[0] * shape[1] * shape[2]));
  return fromArrays({ images, shape, labels: Int32Array.from({ length: count }, (_, i) => i % 10), name: 'random' });
}

/** One (family, backend, image) run, in this process; prints its result as JSON. */
async function child(family: ModelName, backend: BackendName, shape: ImageShape): Promise<void> {
  const { fastKernels } = await initBackend({ backend });
  const data = shape[0] === 28 ? await loadMnist({ split: 'train' }) : randomImages(shape);
  const gan = createModel(family, { imageShape: shape, numClasses: 10 } as never);
  const logs: StepLogs[] = [];
  let tensorsAfterWarmup = 0;
  let tensorsAtEnd = 0;
  const result = await trainGan({
    gan,
    data,
    ...(family.startsWith('ssgan') ? { labeled: takePerClass({ dataset: data, perClass: 10 }) } : {}),
    steps: warmup + steps,
    batchSize,
    callbacks: [
      {
        onBatchEnd: (step, l) => {
          if (step === warmup) tensorsAfterWarmup = tf.memory().numTensors;
          if (step === warmup + steps) tensorsAtEnd = tf.memory().numTensors;
          if (step > warmup) logs.push(l);
        },
      },
    ],
  });
  const run: Run = {
    family,
    backend,
    imageShape: shape,
    dUpdatesPerStep: family === 'wgan-gp' ? 5 : 1,
    msPerStep: median(logs.map((l) => l['ms']!)),
    imagesPerSecond: median(logs.map((l) => l['imagesPerSecond']!)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    tensorDrift: tensorsAtEnd - tensorsAfterWarmup,
    // "on (2 threads)"; without @dgm/kernels, the cores.
    threads: Number(/\((\d+) threads?\)/.exec(fastKernels.detail)?.[1] ?? os.availableParallelism()),
    parameters: { generator: gan.generator.countParams(), discriminator: gan.discriminator.countParams() },
  };
  result.ema?.dispose();
  console.log(JSON.stringify(run));
}

/** Every row to run: per backend, each family at 28×28×1, then at the larger sizes where this backend has them. */
function plan(backends: readonly BackendName[], families: readonly ModelName[]): { family: ModelName; backend: BackendName; shape: ImageShape }[] {
  const sizeBackends = (values['size-backends'] ?? '').split(',');
  return backends.flatMap((backend) =>
    families.flatMap((family) => [
      { family, backend, shape: mnistShape },
      ...sizeRows.filter(([f]) => f === family && sizeBackends.includes(backend)).map(([, shape]) => ({ family, backend, shape })),
    ]),
  );
}

/** Runs a row in its own process; a failure is a row with the error's last line. */
function spawnRun(family: ModelName, backend: BackendName, shape: ImageShape): Run {
  const script = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, script, 'train-speed', `--child=${family}:${backend}:${shape.join('x')}`, `--steps=${steps}`, `--warmup=${warmup}`];
  const out = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = out.stdout.split('\n').reverse().find((l) => l.startsWith('{'));
  if (line !== undefined) return JSON.parse(line) as Run;
  const error = out.stderr.trim().split('\n').at(-1) ?? `exit ${out.status}`;
  return { family, backend, imageShape: shape, dUpdatesPerStep: 0, msPerStep: Number.NaN, imagesPerSecond: Number.NaN, peakRssMiB: 0, tensorDrift: 0, threads: 0, parameters: { generator: 0, discriminator: 0 }, error };
}

/** PyTorch's step for each model of the runs it builds, once per model (after the dgm runs, so that they do not share the cores). */
function addTorch(runs: Run[], python: string): void {
  const byModel = new Map<string, TorchRun>();
  for (const run of runs) {
    if (!torchFamilies.includes(run.family) || run.error !== undefined) continue;
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
function report(runs: readonly Run[], asked: readonly string[], available: readonly BackendName[], torch: ReturnType<typeof findTorch>): string {
  const image = (r: Run) => r.imageShape.join('×');
  const ratio = (r: Run) => (r.torch === undefined ? Number.NaN : r.torch.msPerStep / r.msPerStep);
  const table = markdownTable(
    ['backend', 'family', 'image', 'D updates / step', 'ms / step', 'PyTorch CPU ms / step', 'PyTorch / dgm', 'real images / s', 'peak RSS MiB', 'tensors: last step − warm-up'],
    runs.map((r) => [r.backend, r.family, image(r), r.dUpdatesPerStep, r.error ?? fixed(r.msPerStep, 0), r.torch?.error ?? fixed(r.torch?.msPerStep ?? Number.NaN, 0), fixed(ratio(r), 2), fixed(r.imagesPerSecond, 0), r.peakRssMiB, r.tensorDrift]),
  );
  const sizes = sizeRows.map(([family, shape]) => `${family} ${shape.join('×')}`).join(', ');
  const threads = [...new Set(runs.map((r) => r.threads).filter((t) => t > 0))].join(', ');
  const header = [
    `trainGan, each family with its default recipe and default widths, batch ${batchSize}, EMA on; ` +
      `median of ${steps} steps after ${warmup} warm-up steps, each run in its own process (@dgm/kernels on for wasm and cpu, ${threads} threads). ` +
      `A step is every phase of the recipe once: WGAN-GP makes 5 critic updates per step, so it reads 5 batches of real images. ` +
      `The 28×28×1 rows train on MNIST; the larger images' rows (${sizes}; on ${values['size-backends']}) on random pixels of that shape with labels 0–9, which a step's time does not depend on.`,
    `Backends asked for and not listed could not be started here: ${asked.filter((b) => !available.includes(b as BackendName)).join(', ') || 'none'}.`,
    torchNote(runs, torch, { steps, warmup }),
    `Machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  ];
  return `${header.join('\n\n')}\n\n${table}`;
}

if (values.child !== undefined) {
  const [family, backend, shape] = values.child.split(':') as [ModelName, BackendName, string];
  await child(family, backend, shape.split('x').map(Number) as unknown as ImageShape);
} else {
  const families = (values.families ?? '').split(',') as ModelName[];
  const unknown = families.filter((f) => !modelNames.includes(f));
  if (unknown.length > 0) throw new Error(`train-speed: unknown families ${unknown.join(', ')}; known: ${modelNames.join(', ')}`);
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
  const torch = findTorch(values.python);
  if ('python' in torch) addTorch(runs, torch.python);
  writeResults('train-speed', report(runs, asked, available, torch), { machine: machine(), batchSize, steps, warmup, torch, runs });
}
