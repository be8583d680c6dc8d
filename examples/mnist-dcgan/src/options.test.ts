import { InvalidArgumentError } from '@dgm/core';
import { expect, it } from 'vitest';
import { parseOptions } from './options.js';

it('parses the demo options with their defaults', () => {
  expect(parseOptions([], new Date('2026-01-02T03:04:05.678Z'))).toEqual({
    steps: 1500,
    minutes: 10,
    backend: 'auto',
    batchSize: 64,
    seed: 0,
    runDir: 'runs/mnist-dcgan-2026-01-02T03-04-05',
    resume: false,
    fidSamples: 10000,
  });
  expect(parseOptions(['--steps', '20', '--minutes', '0.5', '--backend', 'cpu', '--run-dir', 'x', '--resume'])).toMatchObject({ steps: 20, minutes: 0.5, backend: 'cpu', runDir: 'x', resume: true });
  expect(parseOptions(['--help'])).toBe('help');
});

it('rejects bad options with the usage', () => {
  for (const args of [['--steps', '0'], ['--steps', 'many'], ['--minutes=-1'], ['--minutes', '-1'], ['--backend', 'webgl'], ['--resume'], ['--bogus'], ['--fid-samples', '-1']]) {
    let error: unknown;
    try {
      parseOptions(args);
    } catch (e) {
      error = e;
    }
    expect(InvalidArgumentError.isInstance(error), args.join(' ')).toBe(true);
    expect((error as Error).message).toContain('usage: pnpm demo');
  }
});
