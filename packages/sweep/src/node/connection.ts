import { Redis } from 'ioredis';
import * as z from 'zod';

/** The queue every worker serves (one per Redis server unless named otherwise). */
export const defaultQueue = 'dgm-trials';

/** A Redis URL (`redis://host:6379`). */
export const redisUrl = z.string().regex(/^rediss?:\/\/./, { error: 'expected a Redis URL such as redis://127.0.0.1:6379' });

/**
 * A Redis connection as BullMQ needs it: commands wait for a reconnection instead of failing
 * after a few retries (`maxRetriesPerRequest: null`), so that a restarted server loses nothing.
 */
export function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2000) });
}
