// bench/quality: the seed's job, measured against the papers' numbers. Each part runs in its
// own process and keeps its results in bench/results/quality.json (a part re-run replaces only
// its own), from which bench/results/quality.md is written with the targets:
//   ssgan         the semi-supervised GAN on MNIST with 100 labels (30 min): test error of its D
//   conditional   cgan, cgan-projection, acgan, cvae on all of MNIST (20 min each): GAN-test, CAS
//   fashion       the same on Fashion-MNIST (20 min each): CAS
//   augmentation  MNIST, 10 / 100 / all labels per class, 3 seeds, each generator (10 min each):
//                 a classifier with and without generated images; the AC-GAN's D as a classifier
//   dcgan         DCGAN on MNIST: FID-cnn and Inception Score (mnist-cnn) after 2, 5, 10, 20, 30 min
// The first four are runs of examples/generative-classification; their tables and per-class
// sample grids go to bench/results/quality/<part>/.
// Options: --only list (default all, in the order above), --budget MINUTES (training time of each
// model of the parts run, instead of their defaults; dcgan: its last time), --generators list
// (the conditional models of conditional, fashion and augmentation; default all four),
// --backend NAME (wasm); after `--`, the example's own flags for the parts it runs (they win over
// the part's: e.g. `-- --classifier-epochs 3 --per-class 10`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-layers';
import { initBackend, type BackendName } from '@dgm/core';
import { parseOptions, reportMarkdown, runExperiments, type Report } from '@example/generative-classification';
import { dcganOverTime, dcganTable } from './quality-dcgan.js';
import { qualityTargets } from './quality-targets.js';
import { machine, resultsDir, writeResults } from './report.js';

const { values, positionals: exampleFlags } = parseArgs({
  args: process.argv.slice(3),
  allowPositionals: true,
  options: {
    only: { type: 'string', default: 'ssgan,conditional,fashion,augmentation,dcgan' },
    budget: { type: 'string' },
    generators: { type: 'string', default: 'cgan,cgan-projection,acgan,cvae' },
    backend: { type: 'string', default: 'wasm' },
    child: { type: 'string' },
  },
});
const backend = values.backend as BackendName;
const defaultGenerators = 'cgan,cgan-projection,acgan,cvae';

/** Each example part: its default training minutes and the example's arguments for a budget. */
const exampleParts: Record<string, { minutes: number; args: (minutes: number) => string[] }> = {
  ssgan: { minutes: 30, args: (m) => ['--dataset', 'mnist', '--experiments', 'ssgan', '--labels', '100', '--seeds', '1', '--ssgan-minutes', `${m}`] },
  conditional: { minutes: 20, args: (m) => ['--dataset', 'mnist', '--experiments', 'cas', '--seeds', '1', '--minutes', `${m}`] },
  fashion: { minutes: 20, args: (m) => ['--dataset', 'fashion-mnist', '--experiments', 'cas', '--seeds', '1', '--minutes', `${m}`] },
  augmentation: { minutes: 10, args: (m) => ['--dataset', 'mnist', '--experiments', 'augmentation,discriminator', '--per-class', '10,100,all', '--seeds', '3', '--minutes', `${m}`] },
};
const dcganMinutes = [2, 5, 10, 20, 30];

export interface PartResult {
  readonly command: string;
  readonly finished: string;
  readonly machine: Record<string, string | number>;
  readonly report?: Report;
  readonly dcgan?: Awaited<ReturnType<typeof dcganOverTime>>;
  readonly error?: string;
}

async function child(part: string, budget: number | undefined): Promise<void> {
  await initBackend({ backend });
  if (part === 'dcgan') {
    const times = budget === undefined ? dcganMinutes : [...dcganMinutes.filter((m) => m < budget), budget];
    console.log(JSON.stringify({ dcgan: await dcganOverTime(times) }));
    return;
  }
  const { minutes, args } = exampleParts[part]!;
  const options = parseOptions([...args(budget ?? minutes), '--generators', values.generators!, '--backend', backend, '--out', join(resultsDir, 'quality', part), ...exampleFlags]);
  if (options === 'help') throw new Error('unreachable');
  console.log(JSON.stringify({ report: await runExperiments(options, (line) => process.stderr.write(`${line}\n`)) }));
}

function runPart(part: string): PartResult {
  const budget = values.budget === undefined ? [] : [`--budget=${values.budget}`];
  const generators = values.generators === defaultGenerators || part === 'ssgan' || part === 'dcgan' ? '' : ` --generators ${values.generators}`;
  const passed = part === 'dcgan' || exampleFlags.length === 0 ? '' : ` -- ${exampleFlags.join(' ')}`;
  const command = `pnpm bench quality --only ${part}${values.budget === undefined ? '' : ` --budget ${values.budget}`}${generators}${backend === 'wasm' ? '' : ` --backend ${backend}`}${passed}`;
  process.stdout.write(`${part}… (${command})\n`);
  const args = [fileURLToPath(import.meta.url), 'quality', `--child=${part}`, `--backend=${backend}`, `--generators=${values.generators}`, ...budget, '--', ...exampleFlags];
  const out = spawnSync(process.execPath, [...process.execArgv, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  const line = out.stdout.split('\n').reverse().find((l) => l.startsWith('{'));
  const base = { command, finished: new Date().toISOString(), machine: machine() };
  return line === undefined ? { ...base, error: `exit ${out.status}` } : { ...base, ...(JSON.parse(line) as Pick<PartResult, 'report' | 'dcgan'>) };
}

if (values.child !== undefined) {
  await child(values.child, values.budget === undefined ? undefined : Number(values.budget));
} else {
  const known = [...Object.keys(exampleParts), 'dcgan'];
  const only = (values.only ?? '').split(',');
  const unknown = only.find((p) => !known.includes(p));
  if (unknown !== undefined) throw new Error(`--only: unknown part ${JSON.stringify(unknown)}; parts: ${known.join(', ')}`);
  const saved = join(resultsDir, 'quality.json');
  const parts: Record<string, PartResult> = existsSync(saved) ? (JSON.parse(readFileSync(saved, 'utf8')) as { parts: Record<string, PartResult> }).parts : {};
  for (const part of only) {
    parts[part] = runPart(part);
    writeResults('quality', qualityMarkdown(parts), { parts });
  }
}

function qualityMarkdown(parts: Record<string, PartResult>): string {
  const sections = Object.entries(parts).map(([name, part]) => {
    const body = part.error !== undefined ? `Failed: ${part.error}.` : part.dcgan !== undefined ? dcganTable(part.dcgan) : reportMarkdown(part.report!).replace(/^# /, '### ').replace(/\n## /g, '\n#### ');
    return `## ${name}\n\n\`${part.command}\`, finished ${part.finished}; machine: ${Object.entries(part.machine).map(([k, v]) => `${k} ${v}`).join(', ')}.\n\n${body}`;
  });
  return [
    'The seed’s job measured: generative models that help image classification (examples/generative-classification), and the DCGAN’s FID over training time, against the targets below. Each part is its own command. The DCGAN’s minutes of training exclude scoring; the semi-supervised GAN’s include its test after each epoch (about a second).',
    qualityTargets(parts),
    ...sections,
  ].join('\n\n');
}
