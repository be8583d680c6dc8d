// The PyTorch CPU reference of bench/train-speed: bench/scripts/torch-train-step.py (the same
// models and recipe), run by the first python that imports torch. Never needed by tests or CI.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ImageShape } from '@dgm/core';
import type { ModelName } from '@dgm/models';

const script = fileURLToPath(new URL('../scripts/torch-train-step.py', import.meta.url));

/** The families the script builds. */
export const torchFamilies: readonly ModelName[] = ['dcgan', 'cgan', 'wgan-gp'];

/** Pythons tried in turn: the default one may lack torch where the system's has it. */
const candidates = ['python3', '/usr/bin/python3', 'python'];

export interface TorchPython {
  readonly python: string;
  readonly torch: string;
}

export interface TorchRun {
  readonly msPerStep: number;
  readonly threads: number;
  /** BLAS_INFO of the build and the BLAS library loaded (see the script's blas()). */
  readonly blas?: string;
  readonly parameters: { readonly generator: number; readonly discriminator: number };
  readonly error?: string;
}

/** The first python (`given`, or the candidates) that imports torch; a reason when none does. */
export function findTorch(given: string | undefined): TorchPython | { readonly skipped: string } {
  if (given === 'none') return { skipped: 'turned off (--python=none)' };
  const tried = given === undefined ? candidates : [given];
  for (const python of tried) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, torch: probe.stdout.trim() };
  }
  return { skipped: `no python with torch (tried ${tried.join(', ')})` };
}

/** One family's step in PyTorch at `shape`: warm-up, then the median of `steps`, on `threads` threads. */
export function torchStep(python: string, family: ModelName, shape: ImageShape, options: { steps: number; warmup: number; threads: number }): TorchRun {
  const args = [script, `--family=${family}`, `--image=${shape.join('x')}`, `--threads=${options.threads}`, `--steps=${options.steps}`, `--warmup=${options.warmup}`];
  const out = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = out.stdout?.split('\n').reverse().find((l) => l.startsWith('{'));
  if (line === undefined) {
    const error = out.stderr?.trim().split('\n').at(-1) ?? out.error?.message ?? `exit ${out.status}`;
    return { msPerStep: Number.NaN, threads: options.threads, parameters: { generator: 0, discriminator: 0 }, error };
  }
  return JSON.parse(line) as TorchRun;
}

/** A dgm row as the note reads it: its model, its parameter counts and PyTorch's run of the same model. */
export interface TimedModel {
  readonly family: string;
  readonly imageShape: ImageShape;
  readonly parameters: Readonly<Record<string, number>>;
  readonly torch?: TorchRun;
}

/** What the PyTorch columns are, and whether its models have the dgm models' parameter counts. */
export function torchNote(runs: readonly TimedModel[], torch: ReturnType<typeof findTorch>, { steps, warmup }: { steps: number; warmup: number }): string {
  if ('skipped' in torch) return `PyTorch CPU: skipped, ${torch.skipped}.`;
  const differ = runs.filter((r) => r.torch !== undefined && r.torch.error === undefined && JSON.stringify(r.torch.parameters) !== JSON.stringify(r.parameters));
  const counts =
    differ.length === 0
      ? 'its models have the dgm models’ parameter counts (weights and batch-norm statistics) in every row'
      : `its parameter counts differ for ${[...new Set(differ.map((r) => `${r.family} ${r.imageShape.join('×')}`))].join(', ')}`;
  const blas = runs.find((r) => r.torch?.blas !== undefined)?.torch?.blas ?? 'unknown';
  // Debian's libblas3: torch built against "generic" BLAS runs its GEMMs on whatever libblas.so.3 points to.
  const reference = /\/blas\/libblas\.so/.test(blas) ? ' (the reference BLAS: unoptimized, one thread)' : '';
  return (
    `PyTorch CPU: the same models and recipe in torch ${torch.torch} (${torch.python} bench/scripts/torch-train-step.py, whose header says where the two differ), ` +
    `with torch.set_num_threads as many threads as @dgm/kernels, timed the same way (the real batches drawn, every update, the EMA, the losses read; median of ${steps} after ${warmup} warm-up steps), ` +
    `each model once, in its own process after the dgm runs, on random pixels; ${counts}. It builds ${torchFamilies.join(', ')} (– for the other families). ` +
    `Its BLAS: ${blas}${reference}; its dense layers and, without MKL, its transposed convolutions (im2col + GEMM) run on it, its convolutions on oneDNN. ` +
    `PyTorch / dgm above 1: the dgm step is faster.`
  );
}
