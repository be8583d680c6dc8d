import { Queue } from 'bullmq';
import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import type { SweepSpec } from '../sweep-spec.js';
import { connect, defaultQueue, redisUrl } from './connection.js';
import { SweepStore, type SweepState, type TrialAttempt, type TrialResult, type TrialStatus } from './sweep-store.js';

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

const options = z.strictObject({ redis: redisUrl, sweep: z.string().min(1), queue: z.string().min(1).optional() });

/** A sweep's state and table: every trial with its parameters, status, metric over steps, result and worker. */
export async function sweepStatus(input: { redis: string; sweep: string; queue?: string }): Promise<SweepStatus> {
  const { redis, sweep, queue: queueName = defaultQueue } = parseOptions(options, input, 'sweepStatus');
  const connection = connect(redis);
  const queue = new Queue(queueName, { connection });
  try {
    const store = new SweepStore(connection, sweep);
    const spec = await store.spec();
    if (spec === undefined) throw new InvalidArgumentError(`sweepStatus: no sweep ${JSON.stringify(sweep)} in ${redis}`);
    const [trials, results, attempts, state] = [await store.trials(), await store.results(), await store.attempts(), await store.state()];
    const metrics = await store.metrics(trials.map((t) => t.id));
    const active = new Set((await queue.getActive()).map((job) => job.id));
    const rows: TrialRow[] = trials.map((t) => {
      const result = results[t.id];
      const status: TrialStatus = result?.status ?? (active.has(t.id) ? 'running' : 'waiting');
      const metricOverSteps = [...(metrics.get(t.id) ?? new Map<number, number>())].sort(([a], [b]) => a - b);
      return { trial: t.id, params: t.params, status, metricOverSteps, result, running: status === 'running' ? attempts[t.id] : undefined };
    });
    const counts = Object.fromEntries((['waiting', 'running', 'completed', 'stopped', 'failed', 'cancelled'] as const).map((s) => [s, rows.filter((r) => r.status === s).length])) as Record<TrialStatus, number>;
    const sign = spec.metric.goal === 'minimize' ? 1 : -1;
    const best = rows.filter((r) => r.status === 'completed' && r.result?.metric !== undefined).sort((a, b) => sign * (a.result!.metric! - b.result!.metric!))[0];
    return { sweep, state, finished: rows.every((r) => r.result !== undefined), spec, counts, trials: rows, best };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
