import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend } from '@dgm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions, type ExperimentOptions } from './options.js';
import type { Report } from './report.js';
import { runExperiments } from './run-experiments.js';

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
  root = await mkdtemp(join(tmpdir(), 'dgm-generative-classification-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Tiny budgets: every model a few steps, every classifier a few steps. */
function tinyOptions(args: string[]): ExperimentOptions {
  const options = parseOptions([
    ...['--steps', '2', '--widths', '4', '--seeds', '1', '--generated', '40', '--cas-samples', '40'],
    ...['--classifier-epochs', '1', '--classifier-min-steps', '2', '--backend', 'cpu'],
    ...args,
  ]);
  if (options === 'help') throw new Error('unexpected --help');
  return options;
}

async function readReport(out: string): Promise<{ report: Report; markdown: string }> {
  return { report: JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Report, markdown: await readFile(join(out, 'results.md'), 'utf8') };
}

describe('runExperiments', () => {
  it('runs every experiment on a few hundred MNIST images and writes its tables, grids and JSON', async () => {
    const out = join(root, 'mnist');
    const before = tf.memory().numTensors;
    const options = tinyOptions(['--limit', '300', '--labels', '20', '--per-class', '3', '--generators', 'cgan,acgan,cvae', '--out', out]);
    const returned = await runExperiments(options, () => {});
    expect(tf.memory().numTensors).toBe(before);
    const { report, markdown } = await readReport(out);
    expect(report.rows).toEqual(returned.rows);
    const count = (experiment: string, model?: string) => report.rows.filter((r) => r.experiment === experiment && (model === undefined || r.model === model)).length;
    // ssgan: D, averaged D, labels alone; augmentation: real only + 3 generators; discriminator: D, averaged D; cas: real data, real test images, GAN-test and CAS of 3 generators.
    expect([count('ssgan'), count('augmentation'), count('discriminator'), count('cas')]).toEqual([3, 4, 2, 8]);
    expect(count('cas', 'acgan')).toBe(2);
    for (const row of report.rows) {
      expect(row.value, `${row.experiment} ${row.model}`).toBeGreaterThanOrEqual(0);
      expect(row.value).toBeLessThanOrEqual(1);
      expect(row.perClass).toHaveLength(10);
    }
    // The shipped mnist-cnn reads real test digits almost always right.
    expect(report.rows.find((r) => r.model === 'real test images')!.value).toBeGreaterThan(0.95);
    expect(report.rows.find((r) => r.experiment === 'ssgan' && r.model === 'ssgan-mlp D')!.labelsPerClass).toBe(2);
    for (const title of ['Semi-supervised classification', 'Generative augmentation', 'The discriminator as a classifier', 'CAS and GAN-test']) expect(markdown).toContain(`## ${title}`);
    expect(markdown).toMatch(/\| 3 \| real \+ cvae \| test accuracy \| \d+\.\d\d \|/);
    for (const grid of ['cgan-3-seed0', 'acgan-all-seed0', 'cvae-all-seed0', 'ssgan-mlp-seed0']) expect(existsSync(join(out, 'grids', `${grid}.png`)), grid).toBe(true);
  }, 300_000);

  it('runs on CIFAR-10 files in the real binary format (32×32×3, a conv SSGAN and a classifier for GAN-test trained on real data)', async () => {
    const dir = join(root, 'cifar', 'cifar-10-batches-bin');
    await mkdir(dir, { recursive: true });
    for (let b = 1; b <= 5; b++) await writeFile(join(dir, `data_batch_${b}.bin`), cifarBatch(20, b));
    await writeFile(join(dir, 'test_batch.bin'), cifarBatch(20, 9));
    const out = join(root, 'cifar-out');
    // 100 training images at the SSGAN's batch of 20 (its labels): 6 steps end one epoch.
    const options = tinyOptions(['--dataset', 'cifar10', '--data-dir', join(root, 'cifar'), '--labels', '20', '--experiments', 'ssgan,cas', '--generators', 'cgan', '--steps', '6', '--out', out]);
    await runExperiments(options, () => {});
    const { report, markdown } = await readReport(out);
    expect(report.dataset).toBe('cifar10');
    expect(report.rows.filter((r) => r.experiment === 'ssgan').map((r) => r.model)).toEqual(['ssgan-conv D', 'ssgan-conv D (averaged)', 'classifier on the labels alone']);
    expect(report.rows.filter((r) => r.experiment === 'cas').map((r) => `${r.model} ${r.metric}`)).toEqual(['real data test accuracy', 'real test images GAN-test', 'cgan GAN-test', 'cgan CAS']);
    const averaged = report.rows.find((r) => r.model === 'ssgan-conv D (averaged)')!;
    expect(averaged.history).toEqual([expect.objectContaining({ epoch: 1, step: 5 })]);
    expect(markdown).toContain('# Generative models for classification: cifar10');
    expect(markdown).toMatch(/ssgan-conv D \(averaged\), seed 0, test error % after each epoch: 1: \d+\.\d\d \(/);
    expect(existsSync(join(out, 'grids', 'cgan-all-seed0.png'))).toBe(true);
  }, 300_000);

  it('refuses labels the data cannot give before training anything', async () => {
    const out = join(root, 'refused');
    await expect(runExperiments(tinyOptions(['--limit', '300', '--labels', '25', '--experiments', 'ssgan', '--out', out]), () => {})).rejects.toThrow(/--labels must be a multiple of the 10 classes/);
    await expect(runExperiments(tinyOptions(['--limit', '300', '--per-class', '500', '--experiments', 'augmentation', '--out', out]), () => {})).rejects.toThrow(/--per-class 500/);
    expect(existsSync(out)).toBe(false);
  });
});

/** `records` CIFAR-10 records (label byte, then 1024 red, green and blue bytes): class r % 10, pixels a seeded pattern. */
function cifarBatch(records: number, seed: number): Uint8Array {
  const out = new Uint8Array(records * 3073);
  for (let r = 0; r < records; r++) {
    out[r * 3073] = r % 10;
    for (let p = 0; p < 3072; p++) out[r * 3073 + 1 + p] = (seed * 31 + r * 17 + p * (1 + (r % 10))) % 256;
  }
  return out;
}
