import { Redis } from 'ioredis';
import * as z from 'zod';
import { DgmError } from '@dgm/core';

/** The queue every worker serves (one per Redis server unless named otherwise). */
export const defaultQueue = 'dgm-trials';

/** A Redis URL (`redis://host:6379`). */
export const redisUrl = z.string().regex(/^rediss?:\/\/./, { error: 'expected a Redis URL such as redis://127.0.0.1:6379' });

/**
 * A worker's Redis connection, as BullMQ needs it: commands wait for a reconnection instead of
 * failing after a few retries (`maxRetriesPerRequest: null`), so that a restarted server loses nothing.
 */
export function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2000) });
}

/**
 * A command's connection (start, status, pause, cancel): it fails at once, with a DgmError
 * naming the server, when Redis cannot be reached, instead of waiting for it forever.
 */
export async function connectOnce(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined); // reported by connect() below
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new DgmError(`cannot reach Redis at ${url}: ${(error as Error).message} (is redis-server running there, and is --redis right?)`, { cause: error });
  }
}
