import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { TrainingError } from '@dgm/core';
import { readJsonLines, writeAtomically } from '@dgm/core/node';
import { shouldStop } from '../early-stopping.js';
import type { SweepSpec } from '../sweep-spec.js';
import type { TrialJob } from './start-sweep.js';
import type { SweepStore, TrialResult } from './sweep-store.js';

export interface TrialContext {
  readonly store: SweepStore;
  readonly spec: SweepSpec;
  readonly runsDir: string;
  /** The command that trains: `[node, dgm's bin]`; the trial adds `train --config … --run-dir … [--resume]`. */
  readonly command: readonly string[];
  readonly worker: string;
  /** Aborted when the worker lost the trial's lock or shuts down: the trial stops at once. */
  readonly signal: AbortSignal;
  /** How often the trial's log is read for new metrics (ms). */
  readonly pollMs: number;
}

/**
 * Runs one trial as a child process (`dgm train`) in `RUNS/SWEEP/TRIAL`, resuming from its
 * latest checkpoint when an earlier attempt left one. While it trains, its new metric values
 * go to the store, and early stopping or a cancelled sweep stop it (SIGINT: a checkpoint,
 * then exit). Resolves to its result (also written to the store, once); throws to have BullMQ
 * retry it.
 */
export async function runTrial(job: TrialJob, attempt: number, context: TrialContext): Promise<TrialResult> {
  const { store, spec, runsDir, command, worker, signal } = context;
  const { trial } = job;
  const runDir = join(runsDir, job.sweep, trial.id);
  const started = performance.now();
  await store.recordAttempt(trial.id, { worker, attempt, startedAt: new Date().toISOString() });
  const configPath = join(runDir, 'trial.json');
  await writeAtomically(configPath, `${JSON.stringify({ ...trial.config, runDir }, null, 2)}\n`);
  const resume = existsSync(join(runDir, 'checkpoints', 'latest.json'));
  // The trials early stopping compares with, read once.
  const otherTrials = (await store.trials()).map((t) => t.id).filter((id) => id !== trial.id);
  const args = [...command.slice(1), 'train', '--config', configPath, '--run-dir', runDir, ...(resume ? ['--resume'] : [])];
  signal.throwIfAborted();
  const training = spawnTraining(command, args, join(runDir, 'trial.log'));
  let why: 'early' | 'cancelled' | undefined;
  const reported = new Set<number>();
  const onAbort = () => training.child.kill('SIGKILL');
  signal.addEventListener('abort', onAbort);
  const watch = async (): Promise<'early' | 'cancelled' | undefined> => {
    if ((await store.state()) === 'cancelled') return 'cancelled';
    const metric = await reportMetrics(runDir, spec.metric.name, trial.id, store, reported);
    if (spec.earlyStopping === undefined || metric.size === 0) return undefined;
    const others = await store.metrics(otherTrials);
    return shouldStop({ rule: spec.earlyStopping, goal: spec.metric.goal, own: metric, others }) ? 'early' : undefined;
  };
  // One look at a time (a look waits while Redis restarts), until the training ends.
  void (async () => {
    while (!training.ended()) {
      await new Promise((resolve) => setTimeout(resolve, context.pollMs));
      const stop = training.ended() ? undefined : await watch().catch(() => undefined);
      if (stop !== undefined && why === undefined) {
        why = stop;
        training.child.kill('SIGINT');
      }
    }
  })();
  const { code, seconds: trainSeconds } = await training.exited;
  signal.removeEventListener('abort', onAbort);
  if (signal.aborted) throw new TrainingError(`trial ${trial.id}: stopped (${String(signal.reason ?? 'worker closing')})`);
  const metric = await reportMetrics(runDir, spec.metric.name, trial.id, store, reported);
  const last = [...metric].sort(([a], [b]) => a - b).at(-1);
  // Stopped on purpose: after its checkpoint (130), or by the signal itself while it was still starting (no code).
  const interrupted = code === 130 || (code === null && why !== undefined);
  const status = code === 0 ? 'completed' : interrupted && why === 'early' ? 'stopped' : interrupted && why === 'cancelled' ? 'cancelled' : undefined;
  if (status === undefined) {
    // Retried (bad input too: on a shared file system a folder may appear late); the last attempt's error is the trial's.
    throw new TrainingError(`dgm train exited with code ${code}: ${training.lastError()}`);
  }
  const result: TrialResult = { trial: trial.id, status, metric: last?.[1], step: last?.[0], worker, attempts: attempt, seconds: (performance.now() - started) / 1000, trainSeconds, finishedAt: new Date().toISOString() };
  await store.recordResult(result);
  return result;
}

/**
 * Starts `dgm train` with its output appended to `logPath`. Its stdin stays open: the child
 * exits when it closes, i.e. when this worker dies.
 */
function spawnTraining(command: readonly string[], args: readonly string[], logPath: string) {
  const startedAt = performance.now();
  const child = spawn(command[0]!, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, DGM_EXIT_WITH_PARENT: '1' } });
  const output = createWriteStream(logPath, { flags: 'a' });
  let tail = '';
  let ended = false;
  // A trial.log that cannot be written (a full shared disk) costs its lines, not the worker.
  output.on('error', () => undefined);
  child.stdout.pipe(output, { end: false });
  child.stderr.on('data', (chunk: Buffer) => void (output.write(chunk), (tail = (tail + chunk.toString()).slice(-2000))));
  // Its output is all written once both pipes have ended, as well as the process.
  const exited = Promise.all([once(child, 'exit') as Promise<[number | null]>, once(child.stdout, 'end'), once(child.stderr, 'end')])
    .then(([[code]]) => ({ code, seconds: (performance.now() - startedAt) / 1000 }))
    .finally(() => {
      ended = true;
      output.end();
    });
  return { child, exited, ended: () => ended, lastError: () => tail.trim().split('\n').at(-1) ?? '' };
}

/** The trial's metric by step from its log.jsonl; the steps not `reported` yet are recorded in the store (and added to it). */
async function reportMetrics(runDir: string, name: string, trial: string, store: SweepStore, reported: Set<number>): Promise<Map<number, number>> {
  const metric = new Map<number, number>();
  for (const record of await readJsonLines(join(runDir, 'log.jsonl'))) {
    if (typeof record[name] === 'number') metric.set(record['step'] as number, record[name]);
  }
  for (const [step, value] of metric) {
    if (reported.has(step)) continue;
    await store.recordMetric(trial, step, value);
    reported.add(step);
  }
  return metric;
}
