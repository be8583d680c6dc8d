import { InvalidArgumentError } from '@dgm/core';
import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('parseOptions', () => {
  it('gives the documented defaults, and lists parsed', () => {
    const options = parseOptions([], new Date('2026-01-02T03:04:05Z'));
    expect(options).toMatchObject({
      dataset: 'mnist',
      experiments: ['ssgan', 'augmentation', 'discriminator', 'cas'],
      generators: ['cgan', 'cgan-projection', 'acgan', 'cvae'],
      labels: 100,
      perClass: [10, 100, 'all'],
      seeds: 3,
      minutes: 10,
      ssganMinutes: 30,
      out: 'runs/generative-classification-mnist-2026-01-02T03-04-05',
    });
    expect(parseOptions(['--per-class', 'all,5', '--experiments', 'cas,cas', '--minutes', '0.5'])).toMatchObject({ perClass: ['all', 5], experiments: ['cas'], minutes: 0.5 });
    expect(parseOptions(['--help'])).toBe('help');
  });

  it('names the flag of a bad value, with the usage', () => {
    for (const [args, message] of [
      [['--dataset', 'svhn'], /--dataset: .*"svhn"/],
      [['--experiments', 'ssgan,gan'], /--experiments: .*"ssgan,gan"/],
      [['--per-class', '10,0'], /--per-class/],
      [['--seeds', '1.5'], /--seeds/],
      [['--minutes', '-1'], /--minutes/],
      [['--dataset', 'cifar10'], /cifar10 needs --data-dir DIR .* or --download/],
      [['--unknown'], /Unknown option '--unknown'/],
    ] as const) {
      expect(() => parseOptions(args), args.join(' ')).toThrow(message);
      expect(() => parseOptions(args)).toThrow(InvalidArgumentError);
      expect(() => parseOptions(args)).toThrow(/usage: pnpm demo:classification/);
    }
  });
});
