// Trains the conditional GAN the page ships (public/models/mnist-cgan): pnpm --filter @example/browser train-pretrained [MINUTES]
// On MNIST's training set with createModel's cgan at widths 32, then keeps the averaged generator
// and reports the share of 1,000 samples per class that mnist-cnn reads as the class asked for.
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@dgm/core';
import { loadMnist } from '@dgm/data/node';
import { accuracy, extractFeatures } from '@dgm/metrics';
import { loadExtractor } from '@dgm/metrics/node';
import { createModel, generate } from '@dgm/models';
import { saveGan } from '@dgm/models/node';
import { trainGan } from '@dgm/trainers';
import { progressBar } from '@dgm/trainers/node';

const minutes = Number(process.argv[2] ?? 20);
const dir = fileURLToPath(new URL('../public/models/mnist-cgan/', import.meta.url));
const { reason } = await initBackend({ backend: 'auto' });
console.log(reason);
const gan = createModel('cgan', { imageShape: [28, 28, 1], numClasses: 10, generatorFilters: 32, discriminatorFilters: 32, seed: 0 });
// Without the cgan recipe's matching-aware D (mismatchedLabels): with it, G drew nearly one image
// per class (per-pixel spread across a class's samples 0.01–0.03, MNIST's 0.15–0.34); without it
// the spread was 0.12–0.17 after 10 minutes, though after 25 it narrows too (see the README).
const result = await trainGan({ gan, data: await loadMnist(), steps: 1_000_000, minutes, seed: 0, mismatchedLabels: false, callbacks: [progressBar()] });
const shipped = { ...result.gan, generator: result.ema! };
await rm(dir, { recursive: true, force: true });
await saveGan({ dir, gan: shipped });

const extractor = await loadExtractor({ name: 'mnist-cnn' });
const { images, labels } = generate({ gan: shipped, count: 10_000, seed: 2 });
const { accuracy: overall, perClass } = accuracy({ scores: await extractFeatures({ extractor, images, output: 'probabilities' }), labels: labels! });
const report = { family: 'cgan', widths: 32, mismatchedLabels: false, steps: result.step, minutes, ganTest: overall, ganTestPerClass: perClass, parameters: { generator: gan.generator.countParams(), discriminator: gan.discriminator.countParams() }, command: `pnpm --filter @example/browser train-pretrained ${minutes}` };
await writeFile(new URL('../public/models/mnist-cgan/training.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
console.log(`${result.step} steps; GAN-test by mnist-cnn ${(100 * overall).toFixed(2)}%, worst class ${(100 * Math.min(...perClass)).toFixed(2)}%`);
