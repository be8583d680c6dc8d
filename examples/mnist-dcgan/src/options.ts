import { parseArgs } from 'node:util';
import { InvalidArgumentError, type BackendChoice } from '@dgm/core';

export interface DemoOptions {
  readonly steps: number;
  readonly minutes: number;
  readonly backend: BackendChoice;
  readonly batchSize: number;
  readonly seed: number;
  readonly runDir: string;
  readonly resume: boolean;
  /** Generated images scored by FID at the end (0: none). */
  readonly fidSamples: number;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      steps: { type: 'string', default: '1500' },
      minutes: { type: 'string', default: '10' },
      backend: { type: 'string', default: 'auto' },
      'batch-size': { type: 'string', default: '64' },
      seed: { type: 'string', default: '0' },
      'run-dir': { type: 'string' },
      resume: { type: 'boolean', default: false },
      'fid-samples': { type: 'string', default: '10000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
}

export const usage = `usage: pnpm demo [--steps N] [--minutes M] [--backend auto|tensorflow|wasm|cpu] [--batch-size N] [--seed N] [--run-dir DIR] [--resume] [--fid-samples N]

Trains a DCGAN on MNIST until N steps (default 1500) or M minutes (default 10), whichever
comes first; --resume continues the checkpoint in --run-dir. Then scores N generated images
(default 10000, 0 for none) by FID against MNIST train with @dgm/metrics' mnist-cnn.`;

/** Parses the command line; throws InvalidArgumentError with the usage on bad input. */
export function parseOptions(args: readonly string[], now = new Date()): DemoOptions | 'help' {
  let parsed;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}\n\n${usage}`, { cause: error });
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const integer = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(text)}\n\n${usage}`);
    return n;
  };
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) throw new InvalidArgumentError(`--minutes must be a positive number, got ${JSON.stringify(values.minutes)}\n\n${usage}`);
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(values.backend)) {
    throw new InvalidArgumentError(`--backend must be auto, tensorflow, wasm or cpu, got ${JSON.stringify(values.backend)}\n\n${usage}`);
  }
  if (values.resume && values['run-dir'] === undefined) throw new InvalidArgumentError(`--resume needs --run-dir\n\n${usage}`);
  const stamp = now.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return {
    steps: integer('steps', values.steps, 1),
    minutes,
    backend: values.backend as BackendChoice,
    batchSize: integer('batch-size', values['batch-size'], 1),
    seed: integer('seed', values.seed, 0),
    runDir: values['run-dir'] ?? `runs/mnist-dcgan-${stamp}`,
    resume: values.resume,
    fidSamples: integer('fid-samples', values['fid-samples'], 0),
  };
}
