// bench/browser: the DCGAN 28×28 training step at batch 64, as examples/browser's page trains it
// (trainGan with createDcgan's default widths 64 and an EMA of G), in headless Chromium on the
// built page: webgl (SwiftShader here: software GL, no GPU), wasm stock (tfjs-wasm has no
// convolution gradients: its typed error is shown), wasm + @dgm/kernels on 1 and 2 threads (the
// page is cross-origin isolated), cpu + @dgm/kernels; and the same training in Node beside it.
// Options: --steps N timed steps (default 10) after --warmup N (default 2); --webgl-steps N (3).
// `pnpm bench` builds the page first (the bench depends on @example/browser).
import { parseArgs } from 'node:util';
import { initBackend } from '@dgm/core';
import { loadMnist } from '@dgm/data/node';
import { disableFastKernels, enableFastKernels } from '@dgm/kernels';
import { openPage, startPage } from '@example/browser/chromium';
import { LiveTraining } from '@example/browser/training';
import { fixed, machine, markdownTable, median, writeResults } from './report.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: { steps: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' }, 'webgl-steps': { type: 'string', default: '3' } },
});
const warmup = Number(values.warmup);
const filters = 64;
const batch = 64;

interface Config {
  readonly where: 'Chromium' | 'Node';
  readonly backend: 'webgl' | 'wasm' | 'cpu';
  readonly fastKernels: boolean;
  readonly threads?: number;
  readonly steps: number;
}

interface Measured extends Config {
  readonly ran?: string;
  readonly msPerStep: readonly number[];
  readonly error?: string;
}

const steps = Number(values.steps);
const configs: Config[] = [
  { where: 'Chromium', backend: 'webgl', fastKernels: false, steps: Number(values['webgl-steps']) },
  { where: 'Chromium', backend: 'wasm', fastKernels: false, steps: 1 },
  { where: 'Chromium', backend: 'wasm', fastKernels: true, threads: 1, steps },
  { where: 'Chromium', backend: 'wasm', fastKernels: true, threads: 2, steps },
  { where: 'Chromium', backend: 'cpu', fastKernels: true, threads: 2, steps },
  { where: 'Node', backend: 'wasm', fastKernels: true, threads: 1, steps },
  { where: 'Node', backend: 'wasm', fastKernels: true, threads: 2, steps },
  { where: 'Node', backend: 'cpu', fastKernels: true, threads: 2, steps },
];

async function inNode(config: Config): Promise<Measured> {
  disableFastKernels();
  await initBackend({ backend: config.backend, fastKernels: false });
  const status = await enableFastKernels({ backends: [config.backend as 'wasm' | 'cpu'], threads: config.threads! });
  const training = new LiveTraining(await loadMnist({ split: 'test' }), 'dcgan', undefined, 0, filters);
  const msPerStep: number[] = [];
  await training.run(warmup + config.steps, ({ stepsPerSecond }) => void msPerStep.push(1000 / stepsPerSecond));
  training.dispose();
  disableFastKernels();
  return { ...config, ran: `@tensorflow/tfjs-backend-${config.backend}, @dgm/kernels on ${status.threads}`, msPerStep: msPerStep.slice(warmup) };
}

async function inChromium(list: readonly Config[]): Promise<{ version: string; measured: Measured[] }> {
  const { browser, url, close } = await startPage();
  const measured: Measured[] = [];
  try {
    for (const config of list) {
      process.stdout.write(`Chromium ${config.backend}${config.fastKernels ? ` + kernels, ${config.threads} threads` : ''}…\n`);
      const { page } = await openPage(browser, url); // a fresh tab each: no state carries over
      const settings = { filters, fastKernels: config.fastKernels, ...(config.threads === undefined ? {} : { threads: config.threads }) };
      try {
        const run = await page.evaluate(([b, n, s]) => window.dgmPage!.trainSteps(b, n, s), [config.backend, (config.fastKernels || config.backend === 'webgl' ? warmup : 0) + config.steps, settings] as const);
        measured.push({ ...config, ran: run.reason, msPerStep: run.stepMs.slice(-config.steps) });
      } catch (error) {
        measured.push({ ...config, msPerStep: [], error: (error as Error).message.split('\n')[0]!.replace(/^.*?Error: /, '').split(';')[0]! });
      }
      await page.close();
    }
    return { version: browser.version(), measured };
  } finally {
    await close();
  }
}

const chromium = await inChromium(configs.filter((c) => c.where === 'Chromium'));
const runs = [...chromium.measured];
for (const config of configs.filter((c) => c.where === 'Node')) {
  process.stdout.write(`Node ${config.backend} + kernels, ${config.threads} threads…\n`);
  runs.push(await inNode(config));
}
const nodeMs = (r: Measured) => {
  const twin = runs.find((n) => n.where === 'Node' && n.backend === r.backend && n.threads === r.threads && n.error === undefined);
  return twin === undefined ? Number.NaN : median(twin.msPerStep);
};
const rows = runs.map((r) => {
  const ms = r.error === undefined ? median(r.msPerStep) : Number.NaN;
  const kernels = r.backend === 'webgl' ? 'tfjs' : r.fastKernels ? `@dgm/kernels, ${r.threads} thread${r.threads === 1 ? '' : 's'}` : 'stock';
  return [
    r.where,
    r.backend,
    kernels,
    r.error === undefined ? `${r.msPerStep.length}` : '–',
    r.error === undefined ? fixed(ms, 0) : `cannot train: ${r.error}`,
    r.error === undefined ? fixed((batch * 1000) / ms, 0) : '–',
    r.where === 'Chromium' && Number.isFinite(nodeMs(r)) && r.error === undefined ? `${fixed(ms / nodeMs(r), 2)}×` : '–',
  ];
});
const markdown = [
  `DCGAN 28×28×1 training step at batch ${batch} (createDcgan's widths ${filters}, trainGan with an EMA of G, as examples/browser trains it), in headless Chromium ${chromium.version} on the built page (cross-origin isolated) and in Node ${process.version}; median of the timed steps after ${warmup} warm-up steps. WebGL in this headless Chromium is SwiftShader, software GL on the CPU: no GPU here.`,
  '',
  markdownTable(['where', 'backend', 'kernels', 'steps', 'ms per step', 'images/s', 'vs Node'], rows),
  '',
  `\`pnpm bench browser\`; machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
].join('\n');
writeResults('browser', markdown, { machine: machine(), chromium: chromium.version, runs });
process.exit(0);
