// bench/vae: the conv VAE and CVAE on dynamically binarized MNIST for fixed times of training.
// At each time (scoring excluded), on the first --nll-images test images binarized once
// (seed 0): the negative ELBO and the importance-weighted NLL with k = --nll-samples, in nats;
// at the last time of each model also FID of --samples decoder means against mnist-cnn's MNIST
// train statistics and, for the CVAE, GAN-test (the fraction mnist-cnn classifies as the
// asked label). Each model runs in its own process.
// Options: --models list (default vae,cvae), --minutes list (VAE; default 10,20,30),
// --cvae-minutes list (default 10), --nll-images N (2000), --nll-samples k (100),
// --samples N (10000), --latent-dim N (32), --filters N (encoder and decoder widths, 32),
// --batch-size N (64), --learning-rate x (2e-3), --backend NAME (wasm), --seed N (0), --merge
// (keep the committed results of the models this run does not train).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-layers';
import { initBackend, type BackendName } from '@dgm/core';
import { binarize, subset } from '@dgm/data';
import { loadMnist } from '@dgm/data/node';
import { computeGanTest, estimateLogLikelihood, evaluateImages, sampleVae, vaeSampler } from '@dgm/metrics';
import { loadExtractor, loadShippedReference } from '@dgm/metrics/node';
import { createCvae, createVae, traitsOf, type Vae } from '@dgm/models';
import { trainVae } from '@dgm/trainers';
import { fixed, machine, markdownTable, resultsDir, writeResults } from './report.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    models: { type: 'string', default: 'vae,cvae' },
    minutes: { type: 'string', default: '10,20,30' },
    'cvae-minutes': { type: 'string', default: '10' },
    'nll-images': { type: 'string', default: '2000' },
    'nll-samples': { type: 'string', default: '100' },
    samples: { type: 'string', default: '10000' },
    'latent-dim': { type: 'string', default: '32' },
    filters: { type: 'string', default: '32' },
    'batch-size': { type: 'string', default: '64' },
    'learning-rate': { type: 'string', default: '2e-3' },
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string', default: '0' },
    merge: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});
const numbers = (text: string | undefined) => (text ?? '').split(',').map(Number);
const [nllImages, k, samples, latentDim, filters, batchSize, learningRate, seed] = [
  values['nll-images'],
  values['nll-samples'],
  values.samples,
  values['latent-dim'],
  values.filters,
  values['batch-size'],
  values['learning-rate'],
  values.seed,
].map(Number) as [number, number, number, number, number, number, number, number];
const backend = values.backend as BackendName;
type Model = 'vae' | 'cvae';

interface Point {
  minutes: number;
  step: number;
  epoch: number;
  negativeElbo: number;
  negativeLogLikelihood: number;
  /** Batch means of the last 100 steps' training −ELBO (dynamically binarized train images). */
  trainElbo: number;
  fid?: number;
  /** GAN-test of the decoder's mean images, and of its mode images (each pixel black or white by p > ½). */
  ganTest?: number;
  ganTestModes?: number;
  scoringSeconds: number;
}

interface Run {
  model: Model;
  /** When it ended. */
  date?: string;
  imagesPerSecond: number;
  points: Point[];
  error?: string;
}

/** One model's run in this process; prints its points as JSON. */
async function child(model: Model): Promise<void> {
  await initBackend({ backend });
  const data = await loadMnist({ split: 'train' });
  const test = binarize({ dataset: subset(await loadMnist({ split: 'test' }), Array.from({ length: nllImages }, (_, i) => i)), seed: 0 });
  const options = { imageShape: [28, 28, 1], latentDim, encoderFilters: filters, decoderFilters: filters, seed } as const;
  const vae = model === 'cvae' ? createCvae({ ...options, numClasses: 10 }) : createVae(options);
  const times = numbers(model === 'cvae' ? values['cvae-minutes'] : values.minutes);
  const points: Point[] = [];
  const recent: number[] = [];
  const started = performance.now();
  let scoring = 0;
  let images = 0;
  const trainingMinutes = () => (performance.now() - started - scoring) / 60_000;
  await trainVae({
    vae,
    data,
    seed,
    batchSize,
    binarize: 'dynamic',
    optimizer: { learningRate },
    steps: 1e9,
    callbacks: [
      {
        onBatchEnd: async (step, logs, context) => {
          images += batchSize;
          recent.push(logs['reconstruction']! + logs['kl']!);
          if (recent.length > 100) recent.shift();
          const next = times[points.length];
          if (next === undefined || trainingMinutes() < next) return;
          const t = performance.now();
          const last = points.length === times.length - 1;
          points.push({ minutes: next, step, epoch: logs['epoch']!, trainElbo: recent.reduce((a, b) => a + b, 0) / recent.length, ...(await score(context.vae, test, last)), scoringSeconds: 0 });
          const p = points.at(-1)!;
          p.scoringSeconds = (performance.now() - t) / 1000;
          scoring += performance.now() - t;
          const extra = `${p.fid === undefined ? '' : `, FID ${fixed(p.fid, 2)}`}${p.ganTest === undefined ? '' : `, GAN-test ${fixed(100 * p.ganTest, 1)}% (modes ${fixed(100 * p.ganTestModes!, 1)}%)`}`;
          process.stderr.write(`${model} ${next} min, step ${step}: −ELBO ${fixed(p.negativeElbo, 2)}, NLL ${fixed(p.negativeLogLikelihood, 2)}${extra}\n`);
          if (last) context.stop();
        },
      },
    ],
  });
  const imagesPerSecond = images / (trainingMinutes() * 60);
  console.log(JSON.stringify({ model, imagesPerSecond, points } satisfies Run));
}

/** Test −ELBO and NLL; at the last time also FID and (CVAE) GAN-test of the decoder means. */
async function score(vae: Vae, test: Awaited<ReturnType<typeof binarize>>, last: boolean): Promise<Pick<Point, 'negativeElbo' | 'negativeLogLikelihood' | 'fid' | 'ganTest' | 'ganTestModes'>> {
  const likelihood = await estimateLogLikelihood({ vae, data: test, samples: k, seed: 1 });
  if (!last) return likelihood;
  const extractor = await loadExtractor({ name: 'mnist-cnn' });
  const [fid] = await evaluateImages({ extractor, generated: vaeSampler({ vae, count: samples, seed: 1 }), reference: await loadShippedReference({ name: 'mnist-cnn' }) });
  if (!traitsOf(vae.spec).generatorTakesLabels) return { ...likelihood, fid: fid!.value };
  const ganTest = async (image: 'mean' | 'mode') => (await computeGanTest({ classifier: extractor, generated: await sampleVae({ vae, count: samples, seed: 1, image }) })).value;
  return { ...likelihood, fid: fid!.value, ganTest: await ganTest('mean'), ganTestModes: await ganTest('mode') };
}

if (values.child !== undefined) {
  await child(values.child as Model);
} else {
  const script = fileURLToPath(import.meta.url);
  const runs: Run[] = [];
  const passed = Object.entries(values).flatMap(([key, value]) => (['child', 'models', 'merge'].includes(key) ? [] : [`--${key}=${value}`]));
  for (const model of (values.models ?? '').split(',') as Model[]) {
    process.stdout.write(`${model}…\n`);
    const out = spawnSync(process.execPath, [...process.execArgv, script, 'vae', `--child=${model}`, ...passed], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    const line = out.stdout.split('\n').reverse().find((l) => l.startsWith('{'));
    const date = new Date().toISOString();
    runs.push(line === undefined ? { model, date, imagesPerSecond: 0, points: [], error: `exit ${out.status}` } : { ...(JSON.parse(line) as Run), date });
  }
  // --merge: the committed results' other models stay (e.g. a re-run of the CVAE alone).
  const previous = values.merge ? (JSON.parse(readFileSync(`${resultsDir}/vae.json`, 'utf8')) as { runs: Run[]; machine: { date: string } }) : undefined;
  const kept = (previous?.runs ?? []).filter((old) => !runs.some((r) => r.model === old.model)).map((old) => ({ ...old, date: old.date ?? previous!.machine.date }));
  runs.unshift(...kept);
  writeResults('vae', report(runs, kept.map((r) => `${r.model} (${r.date ?? 'earlier'})`)), { machine: machine(), backend, nllImages, k, samples, latentDim, filters, batchSize, learningRate, seed, runs });
}

function report(runs: readonly Run[], merged: readonly string[]): string {
  const table = markdownTable(
    ['model', 'minutes', 'steps', 'epochs', 'train −ELBO (last 100 steps)', `test −ELBO`, `test NLL (k = ${k})`, `FID-cnn (${samples})`, 'label accuracy %: means / modes', 'images / s'],
    runs.flatMap((r) =>
      r.error !== undefined
        ? [[r.model, '–', '–', '–', r.error, '–', '–', '–', '–', '–']]
        : r.points.map((p) => [
            r.model,
            p.minutes,
            p.step,
            p.epoch,
            fixed(p.trainElbo, 2),
            fixed(p.negativeElbo, 2),
            fixed(p.negativeLogLikelihood, 2),
            p.fid === undefined ? '–' : fixed(p.fid, 2),
            p.ganTest === undefined ? '–' : `${fixed(100 * p.ganTest, 1)} / ${p.ganTestModes === undefined ? '–' : fixed(100 * p.ganTestModes, 1)}`,
            fixed(r.imagesPerSecond, 0),
          ]),
    ),
  );
  const header = [
    `trainVae on MNIST train (60,000 images), dynamically binarized at every step; createVae/createCvae with latent ${latentDim}, encoder and decoder widths ${filters}, ` +
      `batch ${batchSize}, Adam ${learningRate}, β = 1, seed ${seed}, on ${backend} (@dgm/kernels). At each time of training (scoring excluded): ` +
      `the negative ELBO and the importance-weighted NLL (Burda et al. 2016, k = ${k}) in nats per image, on the first ${nllImages} MNIST test images binarized once (binarize, seed 0), ` +
      `with estimateLogLikelihood; at each model's last time, FID of ${samples} decoder means against mnist-cnn's MNIST train statistics and, for the CVAE, ` +
      `the fraction of ${samples} samples (classes in turn) that the shipped mnist-cnn classifies as the label asked (GAN-test), of the decoder's mean images and of its modes ` +
      `(each pixel black or white by p > ½; mnist-cnn reads the gray haze of blurry means poorly, e.g. 3s as 8s).`,
    ...(merged.length === 0 ? [] : [`Merged results: ${merged.join(', ')} kept from an earlier run (their row says when).`]),
    `Machine: ${Object.entries(machine()).map(([key, v]) => `${key} ${v}`).join(', ')}.`,
  ].join('\n\n');
  return `${header}\n\n${table}`;
}
