// bench/profile: where one DCGAN training step (batch 64) spends its time, per kernel,
// with tfjs's stock kernels and with @dgm/kernels, on cpu and wasm.
// Options: --top N (default 12), --skip-stock-cpu (its one step takes ~5 minutes).
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@dgm/core';
import { disableFastKernels, enableFastKernels } from '@dgm/kernels';
import { createStep, fullWidths } from './dcgan.js';
import { fixed, machine, markdownTable, writeResults } from './report.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: { top: { type: 'string', default: '12' }, 'skip-stock-cpu': { type: 'boolean', default: false } },
});
const top = Number(values.top);

interface Profile {
  run: string;
  wallMs: number;
  kernelMs: number;
  kernels: { name: string; calls: number; ms: number }[];
  error?: string;
}

async function profile(backend: 'cpu' | 'wasm', fast: boolean): Promise<Profile> {
  const run = `${backend}, ${fast ? '@dgm/kernels' : 'stock'}`;
  disableFastKernels();
  await initBackend({ backend, fastKernels: false });
  if (fast) await enableFastKernels({ backends: [backend] });
  const { step, dispose } = createStep(fullWidths, 64, 1);
  try {
    if (fast) step(); // warm-up: Adam slots, first-call set-up
    const start = performance.now();
    const info = await tf.profile(() => void step());
    const wallMs = performance.now() - start;
    const byName = new Map<string, { calls: number; ms: number }>();
    for (const k of info.kernels) {
      if (k.name.endsWith('__op')) continue; // op-level wrappers around a kernel counted on its own
      const entry = byName.get(k.name) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      byName.set(k.name, entry);
    }
    const kernels = [...byName.entries()].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
    return { run, wallMs, kernelMs: kernels.reduce((s, k) => s + k.ms, 0), kernels };
  } catch (error) {
    return { run, wallMs: Number.NaN, kernelMs: Number.NaN, kernels: [], error: (error as Error).message };
  } finally {
    dispose();
  }
}

const profiles: Profile[] = [];
if (!values['skip-stock-cpu']) profiles.push(await profile('cpu', false));
profiles.push(await profile('wasm', false), await profile('cpu', true), await profile('wasm', true));
disableFastKernels();

const sections = profiles.map((p) => {
  if (p.error !== undefined) return `### ${p.run}\n\nThe step fails: ${p.error}`;
  const rows = p.kernels.slice(0, top).map((k) => [k.name, k.calls, fixed(k.ms), `${fixed((100 * k.ms) / p.kernelMs)}%`]);
  return `### ${p.run}: ${fixed(p.wallMs, 0)} ms for the step, ${fixed(p.kernelMs, 0)} ms in kernels\n\n${markdownTable(['kernel', 'calls', 'ms', 'share'], rows)}`;
});
const header = [
  'One DCGAN 28×28×1 training step at batch 64 under `tf.profile`, kernels grouped by name (top ' + top + ').',
  `Machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
].join('\n\n');
writeResults('profile', `${header}\n\n${sections.join('\n\n')}`, { machine: machine(), profiles });
