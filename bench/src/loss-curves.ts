// bench/loss-curves: the same seeded DCGAN training (narrower, so that the stock cpu
// kernels finish 200 steps) with and without @dgm/kernels, to show the fast kernels do
// not change what is learned. Options: --steps N (default 200), --batch N (default 8).
// A control run, the stock kernels with every weight of D's first layer one float32 ulp up,
// shows how far this training itself carries differences of one rounding.
import { parseArgs } from 'node:util';
import { initBackend } from '@dgm/core';
import { disableFastKernels, enableFastKernels } from '@dgm/kernels';
import { createStep, type DcganWidths } from './dcgan.js';
import { fixed, machine, markdownTable, writeResults } from './report.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: { steps: { type: 'string', default: '200' }, batch: { type: 'string', default: '8' } },
});
const steps = Number(values.steps);
const batch = Number(values.batch);
const widths: DcganWidths = { generator: [16, 8], discriminator: [8, 16] };

async function curve(backend: 'cpu' | 'wasm', fast: boolean, nudge = false): Promise<{ dLoss: number[]; gLoss: number[]; seconds: number }> {
  disableFastKernels();
  await initBackend({ backend, fastKernels: false });
  if (fast) await enableFastKernels({ backends: [backend] });
  const { step, dispose } = createStep(widths, batch, 7, { nudge });
  const out = { dLoss: [] as number[], gLoss: [] as number[], seconds: 0 };
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    const { dLoss, gLoss } = step();
    out.dLoss.push(dLoss);
    out.gLoss.push(gLoss);
    if ((i + 1) % 20 === 0) process.stdout.write(`\r${backend} ${fast ? 'fast' : 'stock'}: step ${i + 1}/${steps}   `);
  }
  out.seconds = (performance.now() - start) / 1000;
  process.stdout.write('\n');
  dispose();
  return out;
}

const reference = await curve('cpu', false);
const runs = {
  'cpu, fast kernels': await curve('cpu', true),
  'wasm, fast kernels': await curve('wasm', true),
  'control: stock cpu, D\'s first-layer weights one ulp up': await curve('cpu', false, true),
};
disableFastKernels();

const checkpoints = [1, 10, 50, 100, 150, 200].filter((s) => s <= steps);
const maxDiff = (a: number[], b: number[], upTo: number) => Math.max(...a.slice(0, upTo).map((v, i) => Math.abs(v - b[i]!)));
const firstAbove = (a: number[], b: number[], limit: number) => {
  const i = a.findIndex((v, j) => Math.abs(v - b[j]!) > limit);
  return i < 0 ? '–' : `${i + 1}`;
};
const rows = Object.entries(runs).flatMap(([name, run]) =>
  (['dLoss', 'gLoss'] as const).map((loss) => [
    name,
    loss,
    ...checkpoints.map((s) => `${fixed(run[loss][s - 1]!, 5)} / ${fixed(reference[loss][s - 1]!, 5)}`),
    maxDiff(run[loss], reference[loss], 20).toExponential(1),
    maxDiff(run[loss], reference[loss], steps).toExponential(1),
    firstAbove(run[loss], reference[loss], 1e-6),
  ]),
);
const table = markdownTable(
  ['run', 'loss', ...checkpoints.map((s) => `step ${s} (run / stock cpu)`), 'max |Δ| steps 1–20', `max |Δ| steps 1–${steps}`, 'first step |Δ| > 1e-6'],
  rows,
);
const timing = `Time for ${steps} steps: stock cpu ${fixed(reference.seconds)} s, ${Object.entries(runs)
  .map(([name, r]) => `${name} ${fixed(r.seconds)} s`)
  .join(', ')}.`;
const header = [
  `Loss curves of ${steps} DCGAN steps (G ${widths.generator.join('/')} and D ${widths.discriminator.join('/')} channels, batch ${batch}, seed 7), ` +
    'compared with the stock cpu kernels (tfjs\'s own, in float32). The fast kernels sum products and reductions in another ' +
    'order, so their values differ from the stock ones by a rounding here and there from the first step. The control run is ' +
    'the stock run again with every weight of D\'s first layer moved up by one float32 ulp: how far this training itself ' +
    'carries differences of one rounding.',
  timing,
  `Machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
].join('\n\n');
writeResults('loss-curves', `${header}\n\n${table}`, { machine: machine(), steps, batch, widths, reference, runs });
