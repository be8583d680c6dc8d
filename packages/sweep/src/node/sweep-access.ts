import { Queue } from 'bullmq';
import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import type { SweepSpec } from '../sweep-spec.js';
import { connectOnce, defaultQueue, redisUrl } from './connection.js';
import { SweepStore } from './sweep-store.js';

export interface SweepAccessOptions {
  readonly redis: string;
  readonly sweep: string;
  readonly queue?: string;
}

const options = z.strictObject({ redis: redisUrl, sweep: z.string().min(1), queue: z.string().min(1).optional() });

/** Opens a sweep's store and queue for one command, checks that the sweep exists, and closes both after `use`. */
export async function withSweep<T>(input: SweepAccessOptions, caller: string, use: (store: SweepStore, queue: Queue, spec: SweepSpec) => Promise<T>): Promise<T> {
  const { redis, sweep, queue: queueName = defaultQueue } = parseOptions(options, input, caller);
  const connection = await connectOnce(redis);
  const queue = new Queue(queueName, { connection });
  try {
    const store = new SweepStore(connection, sweep);
    const spec = await store.spec();
    if (spec === undefined) throw new InvalidArgumentError(`${caller}: no sweep ${JSON.stringify(sweep)} in ${redis}`);
    return await use(store, queue, spec);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
