import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, dgm } from './cli.test-helper.js';

/** Short locks and stall checks, so that a killed worker's trial is taken over in seconds. */
export const fastWorkers = { DGM_LOCK_MS: '3000', DGM_STALLED_MS: '1000', DGM_POLL_MS: '100' };

/** A `dgm worker` process; `output` collects what it prints. */
export function startWorker(redis: string, runsDir: string): { child: ChildProcess; output: () => string; stop(): Promise<void> } {
  const child = spawn(process.execPath, [bin, 'worker', '--redis', redis, '--runs-dir', runsDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...fastWorkers } });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  return {
    child,
    output: () => text,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Waits until `check` holds (polling), or fails with what it last saw. */
export async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A tiny DCGAN trial config (widths 8, batch 8), scored by FID of 10 samples at its last step. */
export const tinyTrain = (steps: number, extra: Record<string, unknown> = {}) => ({
  model: 'dcgan',
  data: 'mnist',
  steps,
  batchSize: 8,
  metricsEvery: steps,
  metricsSamples: 10,
  checkpointEvery: Math.max(1, Math.floor(steps / 4)),
  gridEvery: steps,
  modelOptions: { generatorFilters: 8, discriminatorFilters: 8 },
  ...extra,
});

/** Writes the spec and starts the sweep with `dgm sweep start`. */
export async function startSweepFile(dir: string, redis: string, spec: object): Promise<void> {
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  const started = await dgm(['sweep', 'start', '--spec', join(dir, 'spec.json'), '--redis', redis]);
  if (started.code !== 0) throw new Error(`dgm sweep start: ${started.stderr}`);
}
