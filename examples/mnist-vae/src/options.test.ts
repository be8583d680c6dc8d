import { InvalidArgumentError } from '@dgm/core';
import { expect, it } from 'vitest';
import { parseOptions } from './options.js';

it('parses the demo options with their defaults', () => {
  expect(parseOptions([], new Date('2026-01-02T03:04:05.678Z'))).toEqual({
    cvae: false,
    latentDim: 32,
    steps: 100000,
    minutes: 10,
    backend: 'auto',
    filters: 32,
    batchSize: 64,
    learningRate: 0.002,
    seed: 0,
    runDir: 'runs/mnist-vae-2026-01-02T03-04-05',
    resume: false,
    fidSamples: 10000,
    nllImages: 2000,
    nllSamples: 100,
  });
  expect(parseOptions(['--cvae'], new Date('2026-01-02T03:04:05.678Z'))).toMatchObject({ cvae: true, runDir: 'runs/mnist-cvae-2026-01-02T03-04-05' });
  expect(parseOptions(['--steps', '20', '--minutes', '0.5', '--backend', 'cpu', '--run-dir', 'x', '--resume'])).toMatchObject({ steps: 20, minutes: 0.5, backend: 'cpu', runDir: 'x', resume: true });
  expect(
    parseOptions(['--latent-dim', '2', '--batch-size', '64', '--learning-rate', '3e-4', '--fid-samples', '0', '--nll-images', '10000', '--nll-samples', '5000']),
  ).toMatchObject({ latentDim: 2, batchSize: 64, learningRate: 3e-4, fidSamples: 0, nllImages: 10000, nllSamples: 5000 });
  expect(parseOptions(['--nll-images', '0'])).toMatchObject({ nllImages: 0 });
  expect(parseOptions(['--help'])).toBe('help');
});

it('rejects bad options with the usage', () => {
  const bad = [
    ['--steps', '0'],
    ['--steps', 'many'],
    ['--minutes=-1'],
    ['--minutes', '-1'],
    ['--backend', 'webgl'],
    ['--resume'],
    ['--bogus'],
    ['--cvae', 'yes'],
    ['--fid-samples', '-1'],
    ['--latent-dim', '0'],
    ['--latent-dim', '2.5'],
    ['--learning-rate', '0'],
    ['--learning-rate', 'Infinity'],
    ['--nll-images', '10001'],
    ['--nll-samples', '0'],
  ];
  for (const args of bad) {
    let error: unknown;
    try {
      parseOptions(args);
    } catch (e) {
      error = e;
    }
    expect(InvalidArgumentError.isInstance(error), args.join(' ')).toBe(true);
    expect((error as Error).message).toContain('usage: pnpm demo:vae');
  }
});
