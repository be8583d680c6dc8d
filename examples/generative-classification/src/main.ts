// pnpm demo:classification: generative models helping image classification, measured.
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { resolve } from 'node:path';
import { DgmError, initBackend } from '@dgm/core';
import { parseOptions, usage } from './options.js';
import { reportMarkdown } from './report.js';
import { runExperiments } from './run-experiments.js';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') return void console.log(usage);
  const { backend, reason } = await initBackend({ backend: options.backend });
  console.log(`backend: ${backend} (${reason})`);
  const report = await runExperiments(options);
  console.log(`\n${reportMarkdown(report)}`);
  const out = resolve(options.out);
  console.log(`results: ${resolve(out, 'results.md')}, ${resolve(out, 'results.json')}; sample grids: ${resolve(out, 'grids')}/`);
}

main().catch((error: unknown) => {
  console.error(DgmError.isInstance(error) ? `${error.name}: ${error.message}` : error);
  process.exitCode = DgmError.isInstance(error) ? 2 : 1;
});
