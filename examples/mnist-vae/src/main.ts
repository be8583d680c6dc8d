// pnpm demo:vae: a VAE (or CVAE) on MNIST, on whatever backend initBackend({ backend: 'auto' }) finds.
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { resolve } from 'node:path';
import { DgmError, initBackend } from '@dgm/core';
import { binarize, subset, type Dataset } from '@dgm/data';
import { loadMnist, writePng } from '@dgm/data/node';
import { computeGanTest, estimateLogLikelihood, evaluateImages, sampleVae, vaeSampler } from '@dgm/metrics';
import { loadExtractor, loadShippedReference } from '@dgm/metrics/node';
import { createCvae, createVae, traitsOf, type Vae } from '@dgm/models';
import { checkpoints, trainVae } from '@dgm/trainers';
import { fileSystemStore, jsonlLog, progressBar, taskProgress, vaeGrids } from '@dgm/trainers/node';
import { interpolationGrid, manifoldGrid } from './latent-grids.js';
import { parseOptions, usage, type DemoOptions } from './options.js';

/** Test images (pairs) the interpolation grid starts from. */
const interpolationRows = 8;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') return void console.log(usage);
  const started = performance.now();
  const { backend, reason } = await initBackend({ backend: options.backend });
  console.log(`backend: ${backend} (${reason})`);
  const data = await loadMnist({ split: 'train' });
  console.log(`data: MNIST ${data.split}, ${data.count} images of ${data.shape.join('×')}`);
  const { latentDim, filters, seed } = options;
  const shape = { imageShape: [28, 28, 1], latentDim, encoderFilters: filters, decoderFilters: filters, seed } as const;
  const model = options.cvae ? createCvae({ ...shape, numClasses: 10 }) : createVae(shape);
  const runDir = resolve(options.runDir);
  console.log(`run: ${runDir} (${model.spec.name}, latent ${latentDim}, widths ${filters}, up to ${options.steps} steps or ${options.minutes} min, batch ${options.batchSize})`);
  const result = await trainVae({
    vae: model,
    data,
    steps: options.steps,
    minutes: options.minutes,
    batchSize: options.batchSize,
    seed,
    binarize: 'dynamic',
    optimizer: { learningRate: options.learningRate },
    store: fileSystemStore({ runDir }),
    resume: options.resume,
    callbacks: [progressBar(), jsonlLog({ path: resolve(runDir, 'log.jsonl') }), vaeGrids({ every: 500 }), checkpoints({ every: 1000 })],
  });
  const { vae } = result;
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${result.stoppedBy === 'time' ? 'time budget reached' : 'done'}: ${result.step} steps in ${(seconds / 60).toFixed(1)} min`);
  const samples = resolve(runDir, 'samples');
  console.log(`grids: ${samples}/ (reconstructions-*.png: pairs of columns, a training image then its reconstruction; samples-*.png: decoded N(0, I) latents)`);
  console.log(`final grids: ${resolve(samples, 'reconstructions-final.png')}, ${resolve(samples, 'samples-final.png')}`);
  const test = binarize({ dataset: subset(await loadMnist({ split: 'test' }), range(Math.max(options.nllImages, 2 * interpolationRows))), seed });
  await writeLatentGrids(vae, test, samples);
  console.log(`checkpoint: ${result.checkpoint} (continue with --run-dir ${options.runDir} --resume; loadVae({ dir }) of @dgm/models/node opens it)`);
  console.log(`log: ${resolve(runDir, 'log.jsonl')}`);
  if (options.nllImages > 0) await printLikelihood(vae, subset(test, range(options.nllImages)), options);
  if (options.fidSamples > 0) await printSampleScores(vae, options);
}

/** interpolation.png, and manifold.png for a 2-D latent space (a CVAE's: of class 0). */
async function writeLatentGrids(vae: Vae, test: Dataset, folder: string): Promise<void> {
  const interpolation = resolve(folder, 'interpolation.png');
  await writePng(interpolation, await interpolationGrid({ vae, data: test, rows: interpolationRows }));
  const row = conditional(vae) ? ', decoded with the first image’s label' : '';
  console.log(`interpolation: ${interpolation} (each row: encoder means of two binarized test images and 8 points between${row})`);
  if (vae.spec.latentDim !== 2) return;
  const manifold = resolve(folder, 'manifold.png');
  await writePng(manifold, await manifoldGrid({ vae, label: 0 }));
  console.log(`manifold: ${manifold} (20×20 decoded z on Φ⁻¹ of an even grid over [0.05, 0.95]²${conditional(vae) ? ', class 0' : ''})`);
}

/** Negative ELBO and importance-weighted NLL on binarized test images. */
async function printLikelihood(vae: Vae, test: Dataset, options: DemoOptions): Promise<void> {
  const { negativeElbo, negativeLogLikelihood, samples, images } = await estimateLogLikelihood({ vae, data: test, samples: options.nllSamples, seed: options.seed, onProgress: taskProgress() });
  console.log(`test −ELBO: ${negativeElbo.toFixed(2)} nats, −log p(x) ≈ ${negativeLogLikelihood.toFixed(2)} nats (importance-weighted, k = ${samples}; first ${images} MNIST test images, binarized once with seed ${options.seed})`);
}

/** FID of generated images and, for a CVAE, the fraction mnist-cnn classifies as the label asked (GAN-test), of mean and of mode images. */
async function printSampleScores(vae: Vae, options: DemoOptions): Promise<void> {
  const extractor = await loadExtractor({ name: 'mnist-cnn' });
  const count = options.fidSamples;
  const seed = options.seed;
  const labeled = conditional(vae) ? await sampleVae({ vae, count, seed }) : undefined;
  const generated = labeled ?? vaeSampler({ vae, count, seed });
  const [fid] = await evaluateImages({ extractor, generated, reference: await loadShippedReference({ name: 'mnist-cnn' }), onProgress: taskProgress() });
  console.log(`${fid!.name}: ${fid!.value.toFixed(2)} (decoder means of N(0, I) latents vs MNIST train statistics)${fid!.warnings.map((w) => `\nwarning: ${w}`).join('')}`);
  if (labeled === undefined) return;
  const modes = await sampleVae({ vae, count, seed, image: 'mode' });
  for (const [what, images] of [['mean images', labeled], ['mode images (each pixel black or white by p > ½)', modes]] as const) {
    const test = await computeGanTest({ classifier: extractor, generated: images, onProgress: taskProgress() });
    console.log(`${test.name}: ${(100 * test.value).toFixed(1)}% of the ${what} classified as the digit asked (per class: ${[...test.perClass].map((v) => (100 * v).toFixed(0)).join(' ')}%)`);
  }
}

/** A CVAE: its decoder takes the class. */
function conditional(vae: Vae): boolean {
  return traitsOf(vae.spec).generatorTakesLabels;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

main().catch((error: unknown) => {
  console.error(DgmError.isInstance(error) ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
