import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, defaultQueue } from './connection.js';
import { freePort, startRedisServer, type RedisServer } from './redis-server.js';
import { startSweep } from './start-sweep.js';
import { SweepStore } from './sweep-store.js';
import { sweepStatus } from './sweep-status.js';

const spec = (name: string, steps = 10) => ({ name, train: { model: 'dcgan', data: 'mnist', steps, metricsEvery: 5 }, space: { seed: { values: [0, 1, 2] } }, metric: { name: 'fid', goal: 'minimize' } });

describe('a sweep in Redis (a real redis-server with append-only persistence)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer({ dir: mkdtempSync(join(tmpdir(), 'dgm-redis-')) });
  });
  afterAll(() => redis?.stop());

  it('enqueues one job per trial; starting the same sweep again enqueues nothing twice, and another spec under the same name is refused', async () => {
    const first = await startSweep({ redis: redis.url, spec: spec('again') });
    expect(first.trials.map((t) => t.id)).toEqual(['again-t000', 'again-t001', 'again-t002']);
    await startSweep({ redis: redis.url, spec: spec('again') });
    const connection = connect(redis.url);
    const queue = new Queue(defaultQueue, { connection });
    const jobs = (await queue.getJobs(['waiting'])).filter((job) => job.data.sweep === 'again');
    expect(jobs.map((job) => job.id).sort()).toEqual(['again-t000', 'again-t001', 'again-t002']);
    expect(jobs[0]!.opts.attempts).toBe(3);
    await expect(startSweep({ redis: redis.url, spec: spec('again', 20) })).rejects.toThrow(/sweep again exists with another spec/);
    await queue.close();
    connection.disconnect();
  });

  it('writes a trial result once, whoever finishes second; it survives a killed and restarted server', async () => {
    const connection = connect(redis.url);
    const store = new SweepStore(connection, 'once');
    const row = { trial: 'once-t000', status: 'completed', metric: 1.5, step: 10, worker: 'a', attempts: 1, seconds: 2, finishedAt: 'now' } as const;
    expect(await store.recordResult(row)).toBe(true);
    expect(await store.recordResult({ ...row, worker: 'b', metric: 9 })).toBe(false);
    await redis.kill();
    await redis.restart();
    expect(await store.results()).toEqual({ 'once-t000': row });
    connection.disconnect();
  });

  it('a command fails at once, naming the server, when Redis cannot be reached', async () => {
    const started = performance.now();
    await expect(sweepStatus({ redis: `redis://127.0.0.1:${await freePort()}`, sweep: 'any' })).rejects.toThrow(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*is --redis right\?\)$/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('refuses a missing redis-server executable with a message that says how to get it', async () => {
    await expect(startRedisServer({ dir: tmpdir(), executable: '/nonexistent/redis-server' })).rejects.toThrow(/apt-get install redis-server/);
  });
});
