import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dgm, scratch } from './cli.test-helper.js';

/** The conditional GAN the browser example ships (mnist-cnn reads 99.96% of its samples as the class asked). */
const shippedCgan = fileURLToPath(new URL('../../../../examples/browser/public/models/mnist-cgan', import.meta.url));

/**
 * A run folder of `dgm train` whose generators are the shipped cGAN's: a one-step run of the
 * same architecture (cgan, widths 32), its generator weights then replaced by the shipped ones.
 */
export async function shippedCganRun(): Promise<string> {
  const runDir = join(scratch(), 'cgan');
  const trained = await dgm(['train', '--model', 'cgan', '--data', 'mnist', '--steps', '1', '--batch-size', '8', '--run-dir', runDir, '--set', 'modelOptions.generatorFilters=32', '--set', 'modelOptions.discriminatorFilters=32']);
  if (trained.code !== 0) throw new Error(`dgm train failed: ${trained.stderr}`);
  for (const part of ['generator', 'generator-ema']) {
    const folder = join(runDir, 'checkpoints', 'step-0000001', part);
    rmSync(folder, { recursive: true });
    cpSync(join(shippedCgan, 'generator'), folder, { recursive: true });
  }
  return runDir;
}
