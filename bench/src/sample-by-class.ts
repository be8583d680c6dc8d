// bench/sample-by-class: train a conditional GAN on MNIST, load the run from its folder as a
// user would (`loadRun`), ask `generate` for each class by name, and check with the shipped
// mnist-cnn classifier that the images show the class asked for. Each family trains in its own
// process (wasm with @dgm/kernels by default) for a fixed number of steps, so that the result
// does not depend on the machine's load.
// Options: --families list, --steps list (one per family; default 750,1000,500), --samples N
// per class (default 1000), --backend NAME (default wasm), --seed N, --run-root DIR.
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '@dgm/core';
import { loadMnist } from '@dgm/data/node';
import { accuracy, extractFeatures } from '@dgm/metrics';
import { loadExtractor } from '@dgm/metrics/node';
import { createModel, generate, type ModelName } from '@dgm/models';
import { trainGan } from '@dgm/trainers';
import { fileSystemStore, loadRun, progressBar } from '@dgm/trainers/node';
import { fixed, machine, markdownTable, writeResults } from './report.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    families: { type: 'string', default: 'cgan,cgan-projection,acgan' },
    steps: { type: 'string', default: '750,1000,500' },
    samples: { type: 'string', default: '1000' },
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string', default: '0' },
    'run-root': { type: 'string', default: join(tmpdir(), 'dgm-bench-sample-by-class') },
    child: { type: 'string' },
  },
});
const [samples, seed, backend, runRoot] = [Number(values.samples), Number(values.seed), values.backend as BackendName, values['run-root']!];

interface Run {
  family: ModelName;
  steps: number;
  trainMinutes: number;
  /** Per class, by name: the share of its samples that mnist-cnn reads as that class. */
  perClass: Record<string, number>;
  error?: string;
}

/** One family: trains into runRoot/family, then loads the run and scores generate()'s samples class by class. */
async function child(family: ModelName, steps: number): Promise<void> {
  await initBackend({ backend });
  const data = await loadMnist({ split: 'train' });
  const runDir = join(runRoot, family);
  await rm(runDir, { recursive: true, force: true }); // a new run: trainGan refuses a folder that holds one
  const started = performance.now();
  const trained = await trainGan({
    gan: createModel(family, { imageShape: [28, 28, 1], numClasses: 10, seed } as never),
    data,
    seed,
    steps,
    store: fileSystemStore({ runDir }),
    callbacks: [progressBar({ logEverySeconds: 60 })],
  });
  const trainMinutes = (performance.now() - started) / 60_000;
  trained.ema?.dispose();

  const run = await loadRun({ dir: runDir });
  const extractor = await loadExtractor({ name: 'mnist-cnn' });
  const perClass: Record<string, number> = {};
  for (const [label, name] of run.spec.classNames!.entries()) {
    const { images } = generate({ gan: run.gan, generator: run.ema ?? run.gan.generator, count: samples, classes: [name], seed: seed + 1 });
    const scores = await extractFeatures({ extractor, images, output: 'probabilities' });
    images.dispose();
    perClass[name] = accuracy({ scores, labels: new Int32Array(samples).fill(label) }).accuracy;
    process.stderr.write(`${family} class ${JSON.stringify(name)}: ${fixed(100 * perClass[name]!, 1)}%\n`);
  }
  console.log(JSON.stringify({ family, steps: run.step, trainMinutes, perClass } satisfies Run));
  tf.disposeVariables();
}

if (values.child !== undefined) {
  const [family, steps] = values.child.split(':');
  await child(family as ModelName, Number(steps));
} else {
  const script = fileURLToPath(import.meta.url);
  const families = (values.families ?? '').split(',') as ModelName[];
  const stepList = (values.steps ?? '').split(',').map(Number);
  const runs: Run[] = [];
  for (const [i, family] of families.entries()) {
    const steps = stepList[i] ?? stepList.at(-1)!;
    process.stdout.write(`${family}, ${steps} steps…\n`);
    const args = [script, 'sample-by-class', `--child=${family}:${steps}`, `--samples=${samples}`, `--backend=${backend}`, `--seed=${seed}`, `--run-root=${runRoot}`];
    const out = spawnSync(process.execPath, [...process.execArgv, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    const line = out.stdout.split('\n').reverse().find((l) => l.startsWith('{'));
    runs.push(line === undefined ? { family, steps, trainMinutes: NaN, perClass: {}, error: `exit ${out.status}` } : (JSON.parse(line) as Run));
  }
  const percent = (v: number) => fixed(100 * v, 1);
  const table = markdownTable(
    ['family', 'steps', 'training min', 'mean %', 'worst class %', 'per class % ("0"–"9")'],
    runs.map((r) => {
      const shares = Object.values(r.perClass);
      return r.error !== undefined
        ? [r.family, r.steps, '–', r.error, '–', '–']
        : [r.family, r.steps, fixed(r.trainMinutes, 1), percent(shares.reduce((a, b) => a + b, 0) / shares.length), percent(Math.min(...shares)), shares.map(percent).join(' ')];
    }),
  );
  const header = [
    `Sampling by class from a trained run: each family trains on MNIST (28×28×1) with its default recipe and widths, seed ${seed}, on ${backend} (@dgm/kernels), ` +
      `into a run folder; \`loadRun({ dir })\` loads it and \`generate({ gan, generator: ema, classes: [name] })\` draws ${samples} images of each class by its name; ` +
      `the share the shipped mnist-cnn classifier reads as the asked class.`,
    `Machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  ].join('\n\n');
  writeResults('sample-by-class', `${header}\n\n${table}`, { machine: machine(), backend, samples, seed, runs });
}
