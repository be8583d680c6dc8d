// bench/conditional: do the conditional families generate the class they are asked for?
// Each family trains on MNIST with its default recipe (wasm with @dgm/kernels by default);
// at each checkpoint of training time (the scoring itself is not counted) the EMA generator's
// samples are scored: GAN-test with the shipped mnist-cnn classifier (overall and per class)
// and FID against mnist-cnn's MNIST train statistics. Each family runs in its own process.
// Options: --families list, --minutes list (default 2,5,10), --samples N (default 10000),
// --backend NAME (default wasm), --seed N.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-layers';
import { initBackend, type BackendName } from '@dgm/core';
import { loadMnist } from '@dgm/data/node';
import { computeGanTest, evaluateImages, sampleGan } from '@dgm/metrics';
import { loadExtractor, loadShippedReference } from '@dgm/metrics/node';
import { createModel, type Gan, type ModelName } from '@dgm/models';
import { trainGan, type TrainContext } from '@dgm/trainers';
import type * as tfl from '@tensorflow/tfjs-layers';
import { fixed, machine, markdownTable, writeResults } from './report.js';
import { atTrainingMinutes } from './training-minutes.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    families: { type: 'string', default: 'cgan,cgan-projection,acgan' },
    minutes: { type: 'string', default: '2,5,10' },
    samples: { type: 'string', default: '10000' },
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string', default: '0' },
    child: { type: 'string' },
  },
});
const minutes = (values.minutes ?? '').split(',').map(Number);
const [samples, seed, backend] = [Number(values.samples), Number(values.seed), values.backend as BackendName];
// The uniform-noise FID of mnist-cnn (packages/metrics/README.md): a sample above it is no better than noise.
const noiseCeiling = 1655.2;

interface Point {
  minutes: number;
  step: number;
  ganTest: number;
  perClass: number[];
  fid: number;
}

interface Run {
  family: ModelName;
  points: Point[];
  error?: string;
}

/** GAN-test and FID of one set of samples (drawn once, labeled with the classes asked). */
async function score(scorer: Scorer, gan: Gan, generator: tfl.LayersModel, at: number, step: number): Promise<Point> {
  const generated = await sampleGan({ gan, generator, count: samples, seed: 1 });
  const [fid] = await evaluateImages({ extractor: scorer.extractor, generated, reference: scorer.reference });
  const test = await computeGanTest({ classifier: scorer.extractor, generated });
  return { minutes: at, step, ganTest: test.value, perClass: [...test.perClass], fid: fid!.value };
}

interface Scorer {
  readonly extractor: Awaited<ReturnType<typeof loadExtractor>>;
  readonly reference: Awaited<ReturnType<typeof loadShippedReference>>;
}

/** One family's run in this process; prints its points as JSON. */
async function child(family: ModelName): Promise<void> {
  await initBackend({ backend });
  const data = await loadMnist({ split: 'train' });
  const scorer: Scorer = { extractor: await loadExtractor({ name: 'mnist-cnn' }), reference: await loadShippedReference({ name: 'mnist-cnn' }) };
  const gan = createModel(family, { imageShape: [28, 28, 1], numClasses: 10, seed } as never);
  const points: Point[] = [];
  const scoreAt = async (minutes: number, step: number, context: TrainContext) => {
    const p = await score(scorer, gan, context.ema ?? gan.generator, minutes, step);
    process.stderr.write(`${family} ${minutes} min, step ${step}: GAN-test ${fixed(100 * p.ganTest)}%, FID ${fixed(p.fid, 2)}\n`);
    return p;
  };
  await trainGan({ gan, data, seed, steps: 1e9, callbacks: [atTrainingMinutes(minutes, points, scoreAt)] });
  console.log(JSON.stringify({ family, points } satisfies Run));
}

if (values.child !== undefined) {
  await child(values.child as ModelName);
} else {
  const script = fileURLToPath(import.meta.url);
  const runs: Run[] = [];
  for (const family of (values.families ?? '').split(',') as ModelName[]) {
    process.stdout.write(`${family}…\n`);
    const args = [script, 'conditional', `--child=${family}`, `--minutes=${values.minutes}`, `--samples=${samples}`, `--backend=${backend}`, `--seed=${seed}`];
    const out = spawnSync(process.execPath, [...process.execArgv, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    const line = out.stdout.split('\n').reverse().find((l) => l.startsWith('{'));
    runs.push(line === undefined ? { family, points: [], error: `exit ${out.status}` } : (JSON.parse(line) as Run));
  }
  const percent = (v: number) => fixed(100 * v, 1);
  const table = markdownTable(
    ['family', 'minutes', 'steps', 'GAN-test %', 'worst class %', 'per class % (0–9)', 'FID-cnn'],
    runs.flatMap((r) =>
      r.error !== undefined
        ? [[r.family, '–', '–', r.error, '–', '–', '–']]
        : r.points.map((p) => [r.family, p.minutes, p.step, percent(p.ganTest), percent(Math.min(...p.perClass)), p.perClass.map(percent).join(' '), fixed(p.fid, 2)]),
    ),
  );
  const header = [
    `Conditional GANs on MNIST (28×28×1), each family with its default recipe and widths, seed ${seed}, on ${backend} (@dgm/kernels). ` +
      `At each time of training (scoring excluded), ${samples} samples of the EMA generator, classes in turn: ` +
      `GAN-test = accuracy of the shipped mnist-cnn classifier on them (the asked class is the label); FID-cnn against mnist-cnn's MNIST train statistics ` +
      `(floor 0.021 for real test images, ${noiseCeiling} for uniform noise).`,
    `Machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  ].join('\n\n');
  writeResults('conditional', `${header}\n\n${table}`, { machine: machine(), backend, samples, seed, minutes, runs });
}
