// bench/train-speed: trainGan's step for each GAN family at batch 64 on each available
// backend (with @dgm/kernels on wasm and cpu): ms per step and images/s (median of the
// timed steps after warm-up), peak RSS and tensor drift. Each run is its own process.
// Options: --steps N timed steps (default 10), --warmup N (default 3), --backends list.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend, type BackendName } from '@dgm/core';
import { takePerClass } from '@dgm/data';
import { loadMnist } from '@dgm/data/node';
import { createModel, modelNames, type ModelName } from '@dgm/models';
import { trainGan, type StepLogs } from '@dgm/trainers';
import { fixed, machine, markdownTable, median, writeResults } from './report.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    steps: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    child: { type: 'string' },
  },
});
const [steps, warmup, batchSize] = [Number(values.steps), Number(values.warmup), 64];

interface Run {
  family: ModelName;
  backend: string;
  dUpdatesPerStep: number;
  msPerStep: number;
  imagesPerSecond: number;
  peakRssMiB: number;
  tensorDrift: number;
  error?: string;
}

/** One (family, backend) run, in this process; prints its result as JSON. */
async function child(family: ModelName, backend: BackendName): Promise<void> {
  await initBackend({ backend });
  const data = await loadMnist({ split: 'train' });
  const gan = createModel(family, { imageShape: [28, 28, 1], numClasses: 10 } as never);
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
  const dUpdates = family === 'wgan-gp' ? 5 : 1;
  const run: Run = {
    family,
    backend,
    dUpdatesPerStep: dUpdates,
    msPerStep: median(logs.map((l) => l['ms']!)),
    imagesPerSecond: median(logs.map((l) => l['imagesPerSecond']!)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    tensorDrift: tensorsAtEnd - tensorsAfterWarmup,
  };
  result.ema?.dispose();
  console.log(JSON.stringify(run));
}

if (values.child !== undefined) {
  const [family, backend] = values.child.split(':') as [ModelName, BackendName];
  await child(family, backend);
} else {
  const script = fileURLToPath(import.meta.url);
  const available = (values.backends ?? '').split(',').filter((b) => {
    const probe = spawnSync(process.execPath, [...process.execArgv, '-e', `import('@dgm/core').then((m) => m.initBackend({ backend: '${b}' })).then(() => process.exit(0), () => process.exit(1))`], { stdio: 'ignore' });
    return probe.status === 0;
  }) as BackendName[];
  const runs: Run[] = [];
  for (const backend of available) {
    for (const family of modelNames) {
      process.stdout.write(`${backend} ${family}…\n`);
      const out = spawnSync(process.execPath, [...process.execArgv, script, 'train-speed', `--child=${family}:${backend}`, `--steps=${steps}`, `--warmup=${warmup}`], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      const line = out.stdout.split('\n').reverse().find((l) => l.startsWith('{'));
      runs.push(line === undefined ? { family, backend, dUpdatesPerStep: 0, msPerStep: Number.NaN, imagesPerSecond: Number.NaN, peakRssMiB: 0, tensorDrift: 0, error: out.stderr.trim().split('\n').at(-1) ?? `exit ${out.status}` } : (JSON.parse(line) as Run));
    }
  }
  const table = markdownTable(
    ['backend', 'family', 'D updates / step', 'ms / step', 'real images / s', 'peak RSS MiB', 'tensors: last step − warm-up'],
    runs.map((r) => [r.backend, r.family, r.dUpdatesPerStep, r.error ?? fixed(r.msPerStep, 0), fixed(r.imagesPerSecond, 0), r.peakRssMiB, r.tensorDrift]),
  );
  const header = [
    `trainGan on MNIST (28×28×1), each family with its default recipe and default widths, batch ${batchSize}, EMA on; ` +
      `median of ${steps} steps after ${warmup} warm-up steps, each run in its own process (@dgm/kernels on for wasm and cpu). ` +
      `A step is every phase of the recipe once: WGAN-GP makes 5 critic updates per step, so it reads 5 batches of real images.`,
    `Backends not listed could not be started here: ${['tensorflow', 'wasm', 'cpu'].filter((b) => !available.includes(b as BackendName)).join(', ') || 'none'}.`,
    `Machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  ].join('\n\n');
  writeResults('train-speed', `${header}\n\n${table}`, { machine: machine(), batchSize, steps, warmup, runs });
}
