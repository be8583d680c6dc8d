import type { Redis } from 'ioredis';
import { InvalidArgumentError } from '@dgm/core';
import type { Trial } from '../expand-trials.js';
import type { SweepSpec } from '../sweep-spec.js';

export type SweepState = 'running' | 'paused' | 'cancelled';
export type TrialStatus = 'waiting' | 'running' | 'completed' | 'stopped' | 'failed' | 'cancelled';

/** A finished trial's row: written once (HSETNX), whoever finishes it. */
export interface TrialResult {
  readonly trial: string;
  readonly status: Exclude<TrialStatus, 'waiting' | 'running'>;
  /** The metric at the trial's last scored step. */
  readonly metric: number | undefined;
  readonly step: number | undefined;
  readonly worker: string;
  readonly attempts: number;
  /** From taking the trial to its result. */
  readonly seconds: number;
  /** The training process's own time (of the last attempt): `seconds` minus this is what the worker added. */
  readonly trainSeconds?: number;
  readonly error?: string;
  readonly finishedAt: string;
}

/** The row of a trial that ends without a training result (cancelled, or failed for good), from its BullMQ job (whose id is the trial's). */
export function endedWithoutResult(job: { readonly id?: string | undefined; readonly attemptsMade: number }, status: 'failed' | 'cancelled', worker: string, error?: string, finishedAt = new Date()): TrialResult {
  return { trial: job.id!, status, metric: undefined, step: undefined, worker, attempts: job.attemptsMade, seconds: 0, ...(error === undefined ? {} : { error }), finishedAt: finishedAt.toISOString() };
}

/** Where a trial runs now. */
export interface TrialAttempt {
  readonly worker: string;
  readonly attempt: number;
  readonly startedAt: string;
}

/**
 * A sweep's records in Redis, under `dgm:sweep:NAME:`: its spec and trials, its state
 * (running, paused, cancelled), each trial's metric by step (for early stopping and the
 * table), where each runs, and the results, each written once.
 */
export class SweepStore {
  readonly #redis: Redis;
  readonly #key: (part: string) => string;

  constructor(redis: Redis, readonly sweep: string) {
    this.#redis = redis;
    this.#key = (part) => `dgm:sweep:${sweep}:${part}`;
  }

  /** Records a new sweep, or checks that one of the same name was started with the same spec (then starting again only re-enqueues). */
  async create(spec: SweepSpec, trials: readonly Trial[]): Promise<void> {
    const text = JSON.stringify(spec);
    const created = await this.#redis.set(this.#key('spec'), text, 'NX');
    if (created === null && (await this.#redis.get(this.#key('spec'))) !== text) {
      throw new InvalidArgumentError(`sweep ${this.sweep} exists with another spec: give the sweep another name`);
    }
    await this.#redis.hset(this.#key('trials'), Object.fromEntries(trials.map((t) => [t.id, JSON.stringify(t)])));
    await this.#redis.set(this.#key('state'), 'running', 'NX');
    await this.#redis.sadd('dgm:sweeps', this.sweep);
  }

  async spec(): Promise<SweepSpec | undefined> {
    const text = await this.#redis.get(this.#key('spec'));
    return text === null ? undefined : (JSON.parse(text) as SweepSpec);
  }

  async trials(): Promise<Trial[]> {
    return Object.values(await this.#redis.hgetall(this.#key('trials'))).map((text) => JSON.parse(text) as Trial).sort((a, b) => a.id.localeCompare(b.id));
  }

  async state(): Promise<SweepState> {
    return ((await this.#redis.get(this.#key('state'))) ?? 'running') as SweepState;
  }

  async setState(state: SweepState): Promise<void> {
    await this.#redis.set(this.#key('state'), state);
  }

  async recordMetric(trial: string, step: number, value: number): Promise<void> {
    await this.#redis.hset(this.#key(`metric:${trial}`), String(step), String(value));
  }

  /** Every trial's metric by step. */
  async metrics(trials: readonly string[]): Promise<Map<string, Map<number, number>>> {
    const all = await Promise.all(trials.map((t) => this.#redis.hgetall(this.#key(`metric:${t}`))));
    return new Map(trials.map((t, i) => [t, new Map(Object.entries(all[i]!).map(([s, v]) => [Number(s), Number(v)]))]));
  }

  async recordAttempt(trial: string, attempt: TrialAttempt): Promise<void> {
    await this.#redis.hset(this.#key('running'), trial, JSON.stringify(attempt));
  }

  async attempts(): Promise<Record<string, TrialAttempt>> {
    return Object.fromEntries(Object.entries(await this.#redis.hgetall(this.#key('running'))).map(([t, text]) => [t, JSON.parse(text) as TrialAttempt]));
  }

  /** Writes a trial's result unless it has one; resolves to whether this call wrote it. */
  async recordResult(result: TrialResult): Promise<boolean> {
    const written = (await this.#redis.hsetnx(this.#key('results'), result.trial, JSON.stringify(result))) === 1;
    if (written) await this.#redis.hdel(this.#key('running'), result.trial);
    return written;
  }

  async results(): Promise<Record<string, TrialResult>> {
    return Object.fromEntries(Object.entries(await this.#redis.hgetall(this.#key('results'))).map(([t, text]) => [t, JSON.parse(text) as TrialResult]));
  }
}
