import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built bin (turbo builds before testing). */
export const bin = fileURLToPath(new URL('../../dist/node/bin.js', import.meta.url));

export interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `dgm …` in a child process, as a user does; `onStarted` gets the child (e.g. to signal it). */
export function dgm(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; onStarted?: (child: ReturnType<typeof spawn>) => void } = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? scratch(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    options.onStarted?.(child);
  });
}

export const scratch = () => mkdtempSync(join(tmpdir(), 'dgm-cli-'));

/** Flags of a tiny model (widths 8, batch 8) that trains a step in milliseconds. */
export const tiny = ['--batch-size', '8', '--set', 'modelOptions.generatorFilters=8', '--set', 'modelOptions.discriminatorFilters=8'];
export const tinyVae = ['--batch-size', '8', '--set', 'modelOptions.encoderFilters=8', '--set', 'modelOptions.decoderFilters=8'];
