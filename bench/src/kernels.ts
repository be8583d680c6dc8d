// bench/kernels: each kernel @dgm/kernels replaces, at the shapes of the DCGAN step
// (batch 64), stock vs fast in the same run, on cpu and wasm: ms and GFLOP/s.
// Options: --max-seconds S per measurement (default 3; a stock cpu filter gradient takes ~80 s once).
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@dgm/core';
import { disableFastKernels, enableFastKernels } from '@dgm/kernels';
import { kernelFlops } from './flops.js';
import { fixed, machine, markdownTable, median, writeResults } from './report.js';

const { values } = parseArgs({ args: process.argv.slice(3), options: { 'max-seconds': { type: 'string', default: '3' } } });
const maxMs = Number(values['max-seconds']) * 1000;

interface Case {
  label: string;
  kernel: string;
  inputs: Record<string, number[]>;
  attrs: Record<string, unknown>;
}
const conv = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined };
const cases: Case[] = [
  { label: 'D conv 2 forward (14×14×64 → 7×7×128)', kernel: 'Conv2D', inputs: { x: [64, 14, 14, 64], filter: [4, 4, 64, 128] }, attrs: conv },
  {
    label: 'D conv 2 forward + bias (tfjs-layers path)',
    kernel: 'FusedConv2D',
    inputs: { x: [64, 14, 14, 64], filter: [4, 4, 64, 128], bias: [128] },
    attrs: { ...conv, activation: 'linear' },
  },
  { label: 'D conv 1 forward (28×28×1 → 14×14×64)', kernel: 'Conv2D', inputs: { x: [64, 28, 28, 1], filter: [4, 4, 1, 64] }, attrs: conv },
  {
    label: 'D conv 2 filter gradient',
    kernel: 'Conv2DBackpropFilter',
    inputs: { x: [64, 14, 14, 64], dy: [64, 7, 7, 128] },
    attrs: { ...conv, filterShape: [4, 4, 64, 128] },
  },
  {
    label: 'G transposed conv 1 (7×7×128 → 14×14×64)',
    kernel: 'Conv2DBackpropInput',
    inputs: { dy: [64, 7, 7, 128], filter: [4, 4, 64, 128] },
    attrs: { ...conv, inputShape: [64, 14, 14, 64] },
  },
  {
    label: 'G transposed conv 2 (14×14×64 → 28×28×1)',
    kernel: 'Conv2DBackpropInput',
    inputs: { dy: [64, 14, 14, 64], filter: [4, 4, 1, 64] },
    attrs: { ...conv, inputShape: [64, 28, 28, 1] },
  },
  { label: 'G dense (64×100 · 100×6272)', kernel: 'BatchMatMul', inputs: { a: [1, 64, 100], b: [1, 100, 6272] }, attrs: { transposeA: false, transposeB: false } },
  { label: 'G dense weight gradient (Aᵀ·B)', kernel: 'BatchMatMul', inputs: { a: [1, 64, 100], b: [1, 64, 6272] }, attrs: { transposeA: true, transposeB: false } },
  { label: 'G dense input gradient (A·Bᵀ)', kernel: 'BatchMatMul', inputs: { a: [1, 64, 6272], b: [1, 100, 6272] }, attrs: { transposeA: false, transposeB: true } },
  {
    label: 'D dense + bias (6272 → 1)',
    kernel: '_FusedMatMul',
    inputs: { a: [1, 64, 6272], b: [1, 6272, 1], bias: [1] },
    attrs: { transposeA: false, transposeB: false, activation: 'linear' },
  },
];

interface Result {
  backend: string;
  label: string;
  kernel: string;
  gflop: number;
  stockMs: number;
  oneThreadMs: number;
  fastMs: number;
  stockError?: string;
}

/** Median ms of the kernel, repeated until 10 runs or `maxMs` (at least one run after one warm-up when it is fast). */
function time(c: Case): number {
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, shape]) => [k, tf.randomNormal(shape)]));
  const once = () => {
    const t = performance.now();
    const out = tf.engine().runKernel(c.kernel, inputs, c.attrs as never) as tf.Tensor;
    out.dataSync();
    out.dispose();
    return performance.now() - t;
  };
  try {
    const first = once();
    const times = first * 2 < maxMs ? [] : [first];
    const start = performance.now();
    while (times.length < 10 && (times.length === 0 || performance.now() - start < maxMs)) times.push(once());
    return median(times);
  } finally {
    tf.dispose(Object.values(inputs));
  }
}

function outputShape(c: Case): number[] {
  return tf.tidy(() => {
    const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, shape]) => [k, tf.zeros(shape)]));
    return (tf.engine().runKernel(c.kernel, inputs, c.attrs as never) as tf.Tensor).shape;
  });
}

const threads = os.availableParallelism();
const results: Result[] = [];
for (const backend of ['wasm', 'cpu'] as const) {
  disableFastKernels();
  await initBackend({ backend, fastKernels: false });
  const stock = cases.map((c) => {
    process.stdout.write(`${backend} stock: ${c.label}\n`);
    try {
      return { ms: time(c) };
    } catch (error) {
      return { ms: Number.NaN, error: (error as Error).message };
    }
  });
  await enableFastKernels({ backends: [backend], threads: 1 });
  const oneThread = cases.map((c) => {
    process.stdout.write(`${backend} fast, 1 thread: ${c.label}\n`);
    return time(c);
  });
  disableFastKernels();
  await enableFastKernels({ backends: [backend], threads });
  cases.forEach((c, i) => {
    process.stdout.write(`${backend} fast, ${threads} threads: ${c.label}\n`);
    const result: Result = {
      backend,
      label: c.label,
      kernel: c.kernel,
      gflop: kernelFlops(c.kernel, Object.values(c.inputs), [outputShape(c)]) / 1e9,
      stockMs: stock[i]!.ms,
      oneThreadMs: oneThread[i]!,
      fastMs: time(c),
    };
    if (stock[i]!.error !== undefined) result.stockError = stock[i]!.error;
    results.push(result);
  });
}
disableFastKernels();

const table = markdownTable(
  ['backend', 'kernel', 'case', 'GFLOP', 'stock ms', 'stock GFLOP/s', 'fast ms, 1 thread', `fast ms, ${threads} threads`, 'fast GFLOP/s', 'speed-up'],
  results.map((r) => [
    r.backend,
    r.kernel,
    r.label,
    fixed(r.gflop, 3),
    r.stockError === undefined ? fixed(r.stockMs) : 'missing',
    r.stockError === undefined ? fixed(r.gflop / (r.stockMs / 1000), 2) : '–',
    fixed(r.oneThreadMs),
    fixed(r.fastMs),
    fixed(r.gflop / (r.fastMs / 1000), 1),
    r.stockError === undefined ? `${fixed(r.stockMs / r.fastMs)}×` : '–',
  ]),
);
const header = [
  `Kernels @dgm/kernels replaces, at the DCGAN step's shapes (batch 64); GFLOP/s and speed-up are for ${threads} threads. Median over up to 10 runs or ${maxMs / 1000} s.`,
  `Machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
].join('\n\n');
writeResults('kernels', `${header}\n\n${table}`, { machine: machine(), threads, results });
