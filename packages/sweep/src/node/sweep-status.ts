import type { Queue } from 'bullmq';
import type { SweepSpec } from '../sweep-spec.js';
import { withSweep, type SweepAccessOptions } from './sweep-access.js';
import { endedWithoutResult, type SweepState, type SweepStore, type TrialAttempt, type TrialResult, type TrialStatus } from './sweep-store.js';

/** One trial's row of a sweep's table. */
export interface TrialRow {
  readonly trial: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly status: TrialStatus;
  /** The metric by step, as reported so far. */
  readonly metricOverSteps: readonly (readonly [number, number])[];
  readonly result: TrialResult | undefined;
  readonly running: TrialAttempt | undefined;
}

export interface SweepStatus {
  readonly sweep: string;
  readonly state: SweepState;
  /** 'finished' once every trial has a result. */
  readonly finished: boolean;
  readonly spec: SweepSpec;
  readonly counts: Readonly<Record<TrialStatus, number>>;
  readonly trials: readonly TrialRow[];
  /** The completed trial with the best final metric. */
  readonly best: TrialRow | undefined;
}

/** A sweep's state and table: every trial with its parameters, status, metric over steps, result and worker. */
export async function sweepStatus(input: SweepAccessOptions): Promise<SweepStatus> {
  return withSweep(input, 'sweepStatus', async (store, queue, spec) => {
    const [trials, results, attempts, state] = [await store.trials(), await store.results(), await store.attempts(), await store.state()];
    const metrics = await store.metrics(trials.map((t) => t.id));
    await recordLostFailures(store, queue, results);
    // Running: taken by a worker that started its training (a paused sweep's jobs are only passing through).
    const active = new Set((await queue.getActive()).map((job) => job.id).filter((id) => id !== undefined && attempts[id] !== undefined));
    const rows: TrialRow[] = trials.map((t) => {
      const result = results[t.id];
      const status: TrialStatus = result?.status ?? (active.has(t.id) ? 'running' : 'waiting');
      const metricOverSteps = [...(metrics.get(t.id) ?? new Map<number, number>())].sort(([a], [b]) => a - b);
      return { trial: t.id, params: t.params, status, metricOverSteps, result, running: status === 'running' ? attempts[t.id] : undefined };
    });
    const counts = Object.fromEntries((['waiting', 'running', 'completed', 'stopped', 'failed', 'cancelled'] as const).map((s) => [s, rows.filter((r) => r.status === s).length])) as Record<TrialStatus, number>;
    const sign = spec.metric.goal === 'minimize' ? 1 : -1;
    const best = rows.filter((r) => r.status === 'completed' && r.result?.metric !== undefined).sort((a, b) => sign * (a.result!.metric! - b.result!.metric!))[0];
    return { sweep: store.sweep, state, finished: rows.every((r) => r.result !== undefined), spec, counts, trials: rows, best };
  });
}

/** Failed jobs of the sweep without a row (a worker died before writing it): their rows, from BullMQ's failure reason. */
async function recordLostFailures(store: SweepStore, queue: Queue, results: Record<string, TrialResult>): Promise<void> {
  for (const job of await queue.getFailed()) {
    if (job.data?.sweep !== store.sweep || job.id === undefined || results[job.id] !== undefined) continue;
    const row = endedWithoutResult(job, 'failed', 'unknown', job.failedReason, new Date(job.finishedOn ?? Date.now()));
    await store.recordResult(row);
    results[job.id] = row;
  }
}
