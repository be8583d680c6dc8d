import { Queue } from 'bullmq';
import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import { connect, defaultQueue, redisUrl } from './connection.js';
import { SweepStore } from './sweep-store.js';

const options = z.strictObject({ redis: redisUrl, sweep: z.string().min(1), queue: z.string().min(1).optional() });
type ControlOptions = { redis: string; sweep: string; queue?: string };

async function withSweep<T>(input: ControlOptions, caller: string, use: (store: SweepStore, queue: Queue) => Promise<T>): Promise<T> {
  const { redis, sweep, queue: queueName = defaultQueue } = parseOptions(options, input, caller);
  const connection = connect(redis);
  const queue = new Queue(queueName, { connection });
  try {
    const store = new SweepStore(connection, sweep);
    if ((await store.spec()) === undefined) throw new InvalidArgumentError(`${caller}: no sweep ${JSON.stringify(sweep)} in ${redis}`);
    return await use(store, queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** Workers take no new trial of the sweep (running ones go on) until resumeSweep. */
export const pauseSweep = (input: ControlOptions) => withSweep(input, 'pauseSweep', (store) => store.setState('paused'));

export const resumeSweep = (input: ControlOptions) => withSweep(input, 'resumeSweep', (store) => store.setState('running'));

/** Cancels a sweep: its waiting trials are removed and marked cancelled, running ones stop with a checkpoint; resolves to the trials cancelled while waiting. */
export const cancelSweep = (input: ControlOptions) =>
  withSweep(input, 'cancelSweep', async (store, queue) => {
    await store.setState('cancelled');
    const waiting = (await queue.getJobs(['waiting', 'delayed', 'prioritized', 'paused'])).filter((job) => job.data?.sweep === store.sweep);
    for (const job of waiting) {
      await job.remove();
      await store.recordResult({ trial: job.id!, status: 'cancelled', metric: undefined, step: undefined, worker: 'none', attempts: job.attemptsMade, seconds: 0, finishedAt: new Date().toISOString() });
    }
    return waiting.length;
  });
