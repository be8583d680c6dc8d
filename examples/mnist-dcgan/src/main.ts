// pnpm demo: a DCGAN on MNIST, on whatever backend initBackend({ backend: 'auto' }) finds.
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { resolve } from 'node:path';
import { DgmError, initBackend } from '@dgm/core';
import { loadMnist } from '@dgm/data/node';
import { evaluateImages, ganSampler } from '@dgm/metrics';
import { loadExtractor, loadShippedReference } from '@dgm/metrics/node';
import { createModel } from '@dgm/models';
import { checkpoints, trainGan } from '@dgm/trainers';
import { fileSystemStore, jsonlLog, progressBar, sampleGrids, taskProgress } from '@dgm/trainers/node';
import { parseOptions, usage } from './options.js';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') return void console.log(usage);
  const started = performance.now();
  const { backend, reason } = await initBackend({ backend: options.backend });
  console.log(`backend: ${backend} (${reason})`);
  const data = await loadMnist({ split: 'train' });
  console.log(`data: MNIST ${data.split}, ${data.count} images of ${data.shape.join('×')}`);
  const gan = createModel('dcgan', { imageShape: [28, 28, 1], seed: options.seed });
  const runDir = resolve(options.runDir);
  console.log(`run: ${runDir} (up to ${options.steps} steps or ${options.minutes} min, batch ${options.batchSize})`);
  const result = await trainGan({
    gan,
    data,
    steps: options.steps,
    batchSize: options.batchSize,
    seed: options.seed,
    store: fileSystemStore({ runDir }),
    resume: options.resume,
    minutes: options.minutes,
    callbacks: [progressBar(), jsonlLog({ path: resolve(runDir, 'log.jsonl') }), sampleGrids({ every: 250 }), checkpoints({ every: 500 })],
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${result.stoppedBy === 'time' ? 'time budget reached' : 'done'}: ${result.step} steps in ${(seconds / 60).toFixed(1)} min`);
  console.log(`samples (EMA generator): ${resolve(runDir, 'samples')}/`);
  console.log(`final grid: ${resolve(runDir, 'samples', 'final.png')}`);
  console.log(`checkpoint: ${result.checkpoint} (continue with --run-dir ${options.runDir} --resume; loadRun({ dir }) of @dgm/trainers/node loads it)`);
  console.log(`log: ${resolve(runDir, 'log.jsonl')}`);
  if (options.fidSamples > 0) {
    const extractor = await loadExtractor({ name: 'mnist-cnn' });
    const generated = ganSampler({ gan, generator: result.ema ?? gan.generator, count: options.fidSamples, seed: options.seed });
    const [fid] = await evaluateImages({ extractor, generated, reference: await loadShippedReference({ name: 'mnist-cnn' }), onProgress: taskProgress() });
    console.log(`${fid!.name}: ${fid!.value.toFixed(2)} (EMA generator vs MNIST train statistics)${fid!.warnings.map((w) => `\nwarning: ${w}`).join('')}`);
  }
}

main().catch((error: unknown) => {
  console.error(DgmError.isInstance(error) ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
