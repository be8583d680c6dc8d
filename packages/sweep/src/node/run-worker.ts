import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { DelayedError, Worker, type Job } from 'bullmq';
import * as z from 'zod';
import { parseOptions, TrainingError } from '@dgm/core';
import type { SweepSpec } from '../sweep-spec.js';
import { connect, defaultQueue, redisUrl } from './connection.js';
import { runTrial } from './run-trial.js';
import type { TrialJob } from './start-sweep.js';
import { endedWithoutResult, SweepStore, type TrialResult } from './sweep-store.js';

export interface RunWorkerOptions {
  readonly redis: string;
  /** The runs folder every worker shares (a shared file system path): trial runs go to RUNS/SWEEP/TRIAL. */
  readonly runsDir: string;
  /** The command that trains a trial, e.g. `[process.execPath, path of dgm's bin]`. */
  readonly command: readonly string[];
  /** Trials at once on this machine (each a process). Default 1. */
  readonly concurrency?: number;
  readonly queue?: string;
  /** How long a trial's lock lasts without renewal before another worker may take it (ms). Default 30,000. */
  readonly lockMs?: number;
  /** How often stalled trials (of dead workers) are looked for (ms). Default 15,000. */
  readonly stalledCheckMs?: number;
  /** How often a trial's log is read for metrics (ms). Default 1,000. */
  readonly pollMs?: number;
  /** Called as each trial ends (for logs). */
  readonly onTrialEnd?: (result: TrialResult) => void;
  /** Called with the worker's errors (a lost connection while Redis restarts among them; it goes on). */
  readonly onError?: (error: Error) => void;
}

const schema = z.strictObject({
  redis: redisUrl,
  runsDir: z.string().min(1),
  command: z.array(z.string().min(1)).min(1),
  concurrency: z.int().min(1).optional(),
  queue: z.string().min(1).optional(),
  lockMs: z.int().min(1000).optional(),
  stalledCheckMs: z.int().min(500).optional(),
  pollMs: z.int().min(50).optional(),
  onTrialEnd: z.custom<(result: TrialResult) => void>((v) => typeof v === 'function', { error: 'expected a function' }).optional(),
  onError: z.custom<(error: Error) => void>((v) => typeof v === 'function', { error: 'expected a function' }).optional(),
});

/**
 * Takes trials from the queue on this machine and trains each in a child process, so that this
 * process's event loop stays free to renew the trials' locks. A trial of a worker that died is
 * taken by another after the lock runs out and resumes from its latest checkpoint; a trial
 * whose lock this worker lost is stopped at once. `close()` stops taking trials and hands the
 * running ones back to the queue (their last checkpoints stay) without counting an attempt.
 */
export async function runWorker(options: RunWorkerOptions): Promise<{ readonly id: string; close(): Promise<void> }> {
  const { redis, command, concurrency = 1, queue = defaultQueue, lockMs = 30_000, stalledCheckMs = 15_000, pollMs = 1000, onTrialEnd, onError } = parseOptions(schema, options, 'runWorker') as RunWorkerOptions;
  const runsDir = resolve(options.runsDir);
  const id = `${hostname()}:${process.pid}`;
  const connection = connect(redis);
  const controllers = new Map<string, AbortController>();
  let closing = false;
  const specs = new Map<string, SweepSpec>();
  const processor = async (job: Job<TrialJob>, token?: string) => {
    const store = new SweepStore(connection, job.data.sweep);
    const state = await store.state();
    if (state === 'paused' || closing) {
      // Back later (a paused sweep in a few seconds), without counting an attempt.
      await job.moveToDelayed(Date.now() + (closing ? 0 : 5000), token);
      throw new DelayedError();
    }
    if (state === 'cancelled') return cancelled(job, store, id);
    const spec = specs.get(job.data.sweep) ?? (await store.spec());
    if (spec === undefined) throw new TrainingError(`sweep ${job.data.sweep} has no spec in Redis`);
    specs.set(job.data.sweep, spec);
    const controller = new AbortController();
    controllers.set(job.id!, controller);
    if (closing) controller.abort('worker closing');
    try {
      const result = await runTrial(job.data, job.attemptsMade + 1, { store, spec, runsDir, command, worker: id, signal: controller.signal, pollMs });
      onTrialEnd?.(result);
      return result;
    } catch (error) {
      if (closing) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      throw error;
    } finally {
      controllers.delete(job.id!);
    }
  };
  const worker = new Worker<TrialJob>(queue, processor, { connection, concurrency, lockDuration: lockMs, stalledInterval: stalledCheckMs, maxStalledCount: 3 });
  worker.on('lockRenewalFailed', (jobIds) => jobIds.forEach((jobId) => controllers.get(jobId)?.abort('lock lost')));
  worker.on('failed', (job, error) => void recordFailure(job, error, connection, id).then((result) => result && onTrialEnd?.(result), (e: Error) => onError?.(e)));
  // Connection errors while Redis restarts among them: ioredis reconnects, the worker goes on.
  worker.on('error', (error) => onError?.(error));
  await worker.waitUntilReady();
  return {
    id,
    async close() {
      closing = true;
      for (const controller of controllers.values()) controller.abort('worker closing');
      await worker.close();
      connection.disconnect();
    },
  };
}

/** A trial that failed for good (its attempts used up): its row, with the last error. */
async function recordFailure(job: Job<TrialJob> | undefined, error: Error, connection: ReturnType<typeof connect>, worker: string): Promise<TrialResult | undefined> {
  if (job === undefined || error instanceof DelayedError) return undefined;
  // Failed for good (attempts used up, or stalled too often) rather than waiting for a retry.
  if ((await job.getState()) !== 'failed') return undefined;
  const result = endedWithoutResult(job, 'failed', worker, error.message);
  return (await new SweepStore(connection, job.data.sweep).recordResult(result)) ? result : undefined;
}

/** A job of a cancelled sweep (enqueued again, or taken as it was cancelled): its row says so, and it does not train. */
async function cancelled(job: Job<TrialJob>, store: SweepStore, worker: string): Promise<TrialResult> {
  const result = endedWithoutResult(job, 'cancelled', worker);
  await store.recordResult(result);
  return result;
}
