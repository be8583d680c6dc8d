import { parseArgs } from 'node:util';
import { InvalidArgumentError, type BackendChoice } from '@dgm/core';

export interface DemoOptions {
  /** Train a CVAE (conditioned on the digit) instead of a VAE. */
  readonly cvae: boolean;
  readonly latentDim: number;
  /** Channels of the encoder's first and the decoder's last convolution (doubling inside). */
  readonly filters: number;
  readonly steps: number;
  readonly minutes: number;
  readonly backend: BackendChoice;
  readonly batchSize: number;
  /** Adam's learning rate. */
  readonly learningRate: number;
  readonly seed: number;
  readonly runDir: string;
  readonly resume: boolean;
  /** Generated images scored by FID at the end (0: none). */
  readonly fidSamples: number;
  /** The first this many MNIST test images are scored by negative ELBO and importance-weighted NLL (0: none). */
  readonly nllImages: number;
  /** Importance samples k per test image. */
  readonly nllSamples: number;
}

/** MNIST's test split. */
const testImages = 10_000;

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      cvae: { type: 'boolean', default: false },
      'latent-dim': { type: 'string', default: '32' },
      filters: { type: 'string', default: '32' },
      steps: { type: 'string', default: '100000' },
      minutes: { type: 'string', default: '10' },
      backend: { type: 'string', default: 'auto' },
      'batch-size': { type: 'string', default: '64' },
      'learning-rate': { type: 'string', default: '0.002' },
      seed: { type: 'string', default: '0' },
      'run-dir': { type: 'string' },
      resume: { type: 'boolean', default: false },
      'fid-samples': { type: 'string', default: '10000' },
      'nll-images': { type: 'string', default: '2000' },
      'nll-samples': { type: 'string', default: '100' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
}

export const usage = `usage: pnpm demo:vae [--cvae] [--latent-dim N] [--filters N] [--steps N] [--minutes M] [--backend auto|tensorflow|wasm|cpu] [--batch-size N] [--learning-rate R] [--seed N] [--run-dir DIR] [--resume] [--fid-samples N] [--nll-images N] [--nll-samples K]

Trains a VAE (--cvae: a CVAE conditioned on the digit) with a Bernoulli decoder on dynamically
binarized MNIST, latent size N (default 32), widths N (default 32: the encoder's first and the
decoder's last convolution), batch 64 and Adam at R (default 0.002), until
N steps (default 100000) or M minutes (default 10), whichever comes first; --resume continues
the checkpoint in --run-dir. Then writes interpolation (and, for --latent-dim 2, manifold)
grids, scores the first N test images (default 2000, 0 for none; binarized once) by negative
ELBO and importance-weighted NLL with K samples (default 100), and N generated images
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
  const integer = (name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`--${name} must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}], got ${JSON.stringify(text)}\n\n${usage}`);
    }
    return n;
  };
  const positive = (name: string, text: string) => {
    const n = Number(text);
    if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`--${name} must be a positive number, got ${JSON.stringify(text)}\n\n${usage}`);
    return n;
  };
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(values.backend)) {
    throw new InvalidArgumentError(`--backend must be auto, tensorflow, wasm or cpu, got ${JSON.stringify(values.backend)}\n\n${usage}`);
  }
  if (values.resume && values['run-dir'] === undefined) throw new InvalidArgumentError(`--resume needs --run-dir\n\n${usage}`);
  const stamp = now.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return {
    cvae: values.cvae,
    latentDim: integer('latent-dim', values['latent-dim'], 1),
    filters: integer('filters', values.filters, 1),
    steps: integer('steps', values.steps, 1),
    minutes: positive('minutes', values.minutes),
    backend: values.backend as BackendChoice,
    batchSize: integer('batch-size', values['batch-size'], 1),
    learningRate: positive('learning-rate', values['learning-rate']),
    seed: integer('seed', values.seed, 0),
    runDir: values['run-dir'] ?? `runs/mnist-${values.cvae ? 'cvae' : 'vae'}-${stamp}`,
    resume: values.resume,
    fidSamples: integer('fid-samples', values['fid-samples'], 0),
    nllImages: integer('nll-images', values['nll-images'], 0, testImages),
    nllSamples: integer('nll-samples', values['nll-samples'], 1),
  };
}
