// bench/train-step: the DCGAN step of the fast-kernels issue at batch 64, stock vs
// @dgm/kernels, on cpu and wasm. The fast configurations are measured in two interleaved
// rounds (the machine is noisy), each of --warmup steps (default 3) then --steps timed
// steps (default 10); --stock-cpu-steps N (default 1: a stock cpu step takes minutes; 0
// leaves stock cpu out). The wasm step with all threads is measured again while another
// process keeps one core busy.
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@dgm/core';
import { disableFastKernels, enableFastKernels } from '@dgm/kernels';
import { withOneCoreBusy } from './busy-core.js';
import { createStep, fullWidths } from './dcgan.js';
import { profileFlops } from './flops.js';
import { fixed, machine, markdownTable, median, numpyGemm, writeResults } from './report.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    steps: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    'stock-cpu-steps': { type: 'string', default: '1' },
  },
});
const batch = 64;

interface Run {
  backend: 'cpu' | 'wasm';
  kernels: 'stock' | 'fast';
  threads: number;
  /** Measured while another process kept one core busy. */
  busy?: boolean;
  steps: number;
  msPerStep: number[];
  gflopPerStep: number;
  tensorDrift: number;
  peakRssMiB: number;
  error?: string;
}

async function measure(backend: Run['backend'], kernels: Run['kernels'], warmup: number, steps: number, threads = 1): Promise<Run> {
  disableFastKernels();
  await initBackend({ backend, fastKernels: false });
  if (kernels === 'fast') await enableFastKernels({ backends: [backend], threads });
  const run: Run = { backend, kernels, threads, steps, msPerStep: [], gflopPerStep: 0, tensorDrift: 0, peakRssMiB: 0 };
  const { step, dispose } = createStep(fullWidths, batch, 1);
  try {
    for (let i = 0; i < warmup; i++) step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < steps; i++) {
      const t = performance.now();
      step();
      run.msPerStep.push(performance.now() - t);
      process.stdout.write(`\r${backend} ${kernels}: step ${i + 1}/${steps} ${fixed(run.msPerStep.at(-1)!, 0)} ms   `);
    }
    run.tensorDrift = tf.memory().numTensors - before;
    run.gflopPerStep = profileFlops((await tf.profile(() => void step())).kernels) / 1e9;
  } catch (error) {
    run.error = (error as Error).message;
  } finally {
    dispose();
    run.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stdout.write('\n');
  }
  return run;
}

const warmup = Number(values.warmup);
const steps = Number(values.steps);
const cores = os.availableParallelism();
const fastConfigs = [
  ['wasm', cores],
  ['wasm', 1],
  ['cpu', cores],
  ['cpu', 1],
] as const;
const rounds: Run[][] = [];
for (let round = 0; round < 2; round++) {
  const runsOfRound: Run[] = [];
  for (const [backend, threads] of fastConfigs) runsOfRound.push(await measure(backend, 'fast', warmup, steps, threads));
  rounds.push(runsOfRound);
}
const merged = rounds[0]!.map((first, i) => {
  const second = rounds[1]![i]!;
  return { ...first, steps: first.steps + second.steps, msPerStep: [...first.msPerStep, ...second.msPerStep], tensorDrift: Math.max(first.tensorDrift, second.tensorDrift) };
});
const busy = { ...(await withOneCoreBusy(() => measure('wasm', 'fast', warmup, 2 * steps, cores))), busy: true };
const stockCpuSteps = Number(values['stock-cpu-steps']);
const runs = [
  ...merged,
  busy,
  await measure('wasm', 'stock', 0, 1),
  ...(stockCpuSteps > 0 ? [await measure('cpu', 'stock', 0, stockCpuSteps)] : []),
];
disableFastKernels();
const numpy = numpyGemm();
const gflop = runs.find((r) => r.gflopPerStep > 0)?.gflopPerStep ?? Number.NaN;
const quietMs = (r: Run) => median(runs.find((q) => !q.busy && q.backend === r.backend && q.kernels === r.kernels && q.threads === r.threads)!.msPerStep);
const rows = runs.map((r) => {
  const ms = r.error === undefined ? median(r.msPerStep) : Number.NaN;
  const stock = runs.find((s) => s.backend === r.backend && s.kernels === 'stock');
  const label = `${r.kernels}${r.kernels === 'fast' ? `, ${r.threads} thread${r.threads === 1 ? '' : 's'}` : ''}${r.busy ? ', one core kept busy' : ''}`;
  const stockMs = stock?.error === undefined ? median(stock?.msPerStep ?? []) : Number.NaN;
  const rate = (gflop * 1000) / ms;
  return [
    r.backend,
    label,
    r.error === undefined ? `${r.msPerStep.length}` : '–',
    r.error === undefined ? fixed(ms, 0) : `fails: ${r.error}`,
    fixed(rate),
    r.busy ? `${fixed(ms / quietMs(r))}× its quiet time` : r.kernels === 'fast' && Number.isFinite(stockMs) ? `${fixed(stockMs / ms)}×` : '–',
    numpy === undefined || r.error !== undefined ? '–' : `${fixed((100 * rate) / numpy.allThreads)}%`,
    // Without warm-up the first step creates Adam's slots, so drift is only meaningful after it.
    r.error === undefined && r.kernels === 'fast' ? r.tensorDrift : '–',
    r.peakRssMiB,
  ];
});
const header = [
  `DCGAN 28×28×1 training step, batch ${batch} (D on ${batch} real + ${batch} fake, then G on ${batch}; Adam): ` +
    `${fixed(gflop, 2)} GFLOP of convolutions and matrix products per step. Fast: median of ${2 * steps} timed steps, in two rounds of ${warmup} warm-up + ${steps} timed steps. Stock: the steps shown.`,
  numpy === undefined
    ? 'numpy: not available'
    : `numpy float32 GEMM 2048³ on this machine: ${fixed(numpy.oneThread)} GFLOP/s on 1 thread, ${fixed(numpy.allThreads)} GFLOP/s on all cores.`,
  `Machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
].join('\n\n');
const table = markdownTable(
  ['backend', 'kernels', 'steps', 'ms/step (median)', 'GFLOP/s', 'speed-up', 'of numpy', 'tensor drift', 'peak RSS MiB'],
  rows,
);
writeResults('train-step', `${header}\n\n${table}`, { machine: machine(), batch, warmup, gflopPerStep: gflop, numpy, runs });
