import { Queue } from 'bullmq';
import * as z from 'zod';
import { parseOptions } from '@dgm/core';
import { expandTrials, type Trial } from '../expand-trials.js';
import { parseSweepSpec, type SweepSpec } from '../sweep-spec.js';
import { connectOnce, defaultQueue, redisUrl } from './connection.js';
import { SweepStore } from './sweep-store.js';

/** What a trial's job carries; the worker reads the rest from the sweep's store. */
export interface TrialJob {
  readonly sweep: string;
  readonly trial: Trial;
}

export interface StartSweepOptions {
  readonly redis: string;
  /** A sweep spec (JSON or YAML already parsed), checked here. */
  readonly spec: unknown;
  readonly queue?: string;
  /** Checks each trial's train config before anything is enqueued (the CLI checks them as `dgm train` would). */
  readonly checkTrial?: (trial: Trial) => void;
}

/**
 * Records a sweep in Redis and enqueues its trials on the BullMQ queue, one job per trial with
 * the trial's id as job id (BullMQ ignores a second job of the same id: starting the same sweep
 * again enqueues nothing twice), `retries` + 1 attempts and exponential backoff.
 */
export async function startSweep(options: StartSweepOptions): Promise<{ spec: SweepSpec; trials: Trial[] }> {
  const { redis, queue: queueName = defaultQueue, checkTrial } = parseOptions(
    z.strictObject({ redis: redisUrl, spec: z.unknown(), queue: z.string().min(1).optional(), checkTrial: z.custom((v) => typeof v === 'function', { error: 'expected a function' }).optional() }),
    options,
    'startSweep',
  ) as StartSweepOptions;
  const spec = parseSweepSpec(options.spec);
  const trials = expandTrials(spec);
  for (const trial of trials) checkTrial?.(trial);
  const connection = await connectOnce(redis);
  const queue = new Queue<TrialJob>(queueName, { connection });
  try {
    await new SweepStore(connection, spec.name).create(spec, trials);
    await queue.addBulk(
      trials.map((trial) => ({
        name: spec.name,
        data: { sweep: spec.name, trial },
        opts: { jobId: trial.id, attempts: spec.retries + 1, backoff: { type: 'exponential', delay: spec.backoffMs }, removeOnComplete: false, removeOnFail: false },
      })),
    );
    return { spec, trials };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
