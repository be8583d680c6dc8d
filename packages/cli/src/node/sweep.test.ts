import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, sweepStatus, type RedisServer } from '@dgm/sweep/node';
import { dgm, scratch } from './cli.test-helper.js';
import { startSweepFile, startWorker, tinyTrain, until } from './sweep.test-helper.js';

/** The steps in a trial's log (a line being written is skipped). */
const logSteps = (runDir: string) =>
  readFileSync(join(runDir, 'log.jsonl'), 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return [(JSON.parse(line) as { step: number }).step];
      } catch {
        return [];
      }
    });
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('sweeps on BullMQ and a real redis-server', () => {
  let redis: RedisServer;
  let workers: ReturnType<typeof startWorker>[] = [];
  beforeAll(async () => {
    redis = await startRedisServer({ dir: scratch() });
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
  });
  afterAll(() => redis?.stop());
  const finished = (sweep: string) => until(async () => ((await sweepStatus({ redis: redis.url, sweep })).finished ? sweepStatus({ redis: redis.url, sweep }) : undefined), `sweep ${sweep} to finish`, 170_000);

  it('24 trials over 3 worker processes finish with exactly one result row per trial', async () => {
    const dir = scratch();
    await startSweepFile(dir, redis.url, { name: 'many', train: tinyTrain(2), space: { seed: { values: range(24) } }, metric: { name: 'fid10-mnist-cnn', goal: 'minimize' } });
    workers = [0, 1, 2].map(() => startWorker(redis.url, join(dir, 'runs')));
    const status = await finished('many');
    expect(status.counts.completed).toBe(24);
    expect(status.trials.map((row) => row.result?.trial)).toEqual(status.trials.map((row) => row.trial));
    expect(new Set(status.trials.map((row) => row.result!.worker)).size).toBeGreaterThanOrEqual(2);
    for (const row of status.trials) expect(logSteps(join(dir, 'runs', 'many', row.trial))).toEqual([1, 2]);
    expect(status.best?.result?.metric).toBe(Math.min(...status.trials.map((row) => row.result!.metric!)));
    const report = await dgm(['sweep', 'report', '--sweep', 'many', '--runs-dir', join(dir, 'runs'), '--redis', redis.url]);
    expect(report.code).toBe(0);
    expect(readFileSync(join(dir, 'runs', 'many', 'report.html'), 'utf8').match(/<a href="many-t\d{3}\/report\.html">report<\/a>/g)).toHaveLength(24);
  }, 180_000);

  it('a trial of a SIGKILLed worker is taken by another after stall detection, resumes from its checkpoint, and ends bit-identical to an uninterrupted run', async () => {
    const dir = scratch();
    await startSweepFile(dir, redis.url, { name: 'killed', train: tinyTrain(400), space: { seed: { values: [5] } }, metric: { name: 'fid10-mnist-cnn', goal: 'minimize' } });
    const runDir = join(dir, 'runs', 'killed', 'killed-t000');
    const first = startWorker(redis.url, join(dir, 'runs'));
    workers.push(first);
    await until(() => existsSync(join(runDir, 'checkpoints', 'latest.json')) && logSteps(runDir).length > 110, 'the first checkpoint');
    first.child.kill('SIGKILL');
    // Its trial dies with it (no orphan trains on): the log stops growing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const size = statSync(join(runDir, 'log.jsonl')).size;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(statSync(join(runDir, 'log.jsonl')).size).toBe(size);
    const second = startWorker(redis.url, join(dir, 'runs'));
    workers.push(second);
    const status = await finished('killed');
    const [row] = status.trials;
    expect(row!.result).toMatchObject({ status: 'completed', step: 400 });
    expect(row!.result!.worker).toBe(`${(await import('node:os')).hostname()}:${second.child.pid}`);
    expect(readFileSync(join(runDir, 'trial.log'), 'utf8')).toMatch(/resumed from step (100|200|300)/);
    expect(logSteps(runDir)).toEqual(range(400));

    const uninterrupted = join(dir, 'uninterrupted');
    expect((await dgm(['train', '--config', join(runDir, 'trial.json'), '--run-dir', uninterrupted])).code).toBe(0);
    for (const part of ['generator', 'generator-ema', 'discriminator']) {
      const weights = (folder: string) => readFileSync(join(folder, 'checkpoints', 'step-0000400', part, readdirSync(join(folder, 'checkpoints', 'step-0000400', part)).find((f) => f.endsWith('.bin'))!));
      expect(weights(runDir).equals(weights(uninterrupted)), part).toBe(true);
    }
  }, 180_000);

  it('Redis killed and restarted mid-sweep: the sweep finishes, no trial lost and none counted twice', async () => {
    const dir = scratch();
    await startSweepFile(dir, redis.url, { name: 'restart', train: tinyTrain(60), space: { seed: { values: range(8) } }, metric: { name: 'fid10-mnist-cnn', goal: 'minimize' } });
    workers = [startWorker(redis.url, join(dir, 'runs')), startWorker(redis.url, join(dir, 'runs'))];
    await until(async () => (await sweepStatus({ redis: redis.url, sweep: 'restart' })).counts.completed >= 1 || undefined, 'a first result');
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await redis.restart();
    const status = await finished('restart');
    expect(status.counts.completed).toBe(8);
    for (const row of status.trials) expect(logSteps(join(dir, 'runs', 'restart', row.trial))).toEqual(range(60));
  }, 180_000);

  it('a trial that always fails is retried the configured number of times, then marked failed with its error; the others finish', async () => {
    const dir = scratch();
    // What dgm train would refuse before loading anything, dgm sweep start refuses for every trial, naming it.
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'bad', train: tinyTrain(2), space: { data: { values: ['mnist', 'folder:x'] } }, metric: { name: 'fid10-mnist-cnn', goal: 'minimize' } }));
    const refused = await dgm(['sweep', 'start', '--spec', join(dir, 'bad.json'), '--redis', redis.url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^dgm: sweep: trial bad-t001: metricsEvery: no shipped extractor scores folder:x/m);
    // A width the model refuses: the trial passes the start's checks and fails as it builds its model, every time.
    await startSweepFile(dir, redis.url, { name: 'failing', train: tinyTrain(2), space: { 'modelOptions.generatorFilters': { values: [8, -1] } }, metric: { name: 'fid10-mnist-cnn', goal: 'minimize' }, retries: 2, backoffMs: 100 });
    workers = [startWorker(redis.url, join(dir, 'runs'))];
    const status = await finished('failing');
    expect(status.trials.map((row) => row.status)).toEqual(['completed', 'failed']);
    expect(status.trials[1]!.result).toMatchObject({ attempts: 3, error: 'dgm train exited with code 2: dgm: createDcgan: generatorFilters must be a positive integer, got -1' });
  }, 180_000);

  it('successive halving stops the trials outside the best half at its rung, before their end', async () => {
    const dir = scratch();
    // A controlled metric: a VAE logs its KL weight (recipe.beta) at every step, so each trial's value is known.
    const train = { model: 'vae', data: 'mnist', steps: 300, batchSize: 8, metricsEvery: 300, metricsSamples: 10, checkpointEvery: 300, gridEvery: 300, modelOptions: { encoderFilters: 8, decoderFilters: 8 } };
    const betas = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1];
    await startSweepFile(dir, redis.url, { name: 'halving', train, space: { 'recipe.beta': { values: betas } }, metric: { name: 'beta', goal: 'minimize' }, earlyStopping: { rule: 'halving', rungs: [20], eta: 2 } });
    workers = [startWorker(redis.url, join(dir, 'runs'))];
    const status = await finished('halving');
    // One worker takes them in order; at step 20 each is ranked among those before it: 0.6, 0.7 and 0.8 are outside the best half.
    expect(status.trials.map((row) => row.status)).toEqual(['completed', 'completed', 'stopped', 'completed', 'stopped', 'completed', 'stopped', 'completed']);
    for (const row of status.trials.filter((r) => r.status === 'stopped')) expect(row.result!.step!).toBeLessThan(300);
    expect(status.best?.trial).toBe('halving-t007');
  }, 180_000);

  it('pause keeps workers off a sweep until resume; cancel stops the running trial with a checkpoint and cancels the waiting ones', async () => {
    const dir = scratch();
    await startSweepFile(dir, redis.url, { name: 'control', train: tinyTrain(4000), space: { seed: { values: [1, 2, 3] } }, metric: { name: 'fid10-mnist-cnn', goal: 'minimize' } });
    expect((await dgm(['sweep', 'pause', '--sweep', 'control', '--redis', redis.url])).code).toBe(0);
    workers = [startWorker(redis.url, join(dir, 'runs'))];
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await sweepStatus({ redis: redis.url, sweep: 'control' })).counts.waiting).toBe(3);
    expect((await dgm(['sweep', 'resume', '--sweep', 'control', '--redis', redis.url])).code).toBe(0);
    const runDir = join(dir, 'runs', 'control', 'control-t000');
    await until(() => existsSync(join(runDir, 'log.jsonl')) && logSteps(runDir).length > 50, 'the first trial to train');
    expect((await dgm(['sweep', 'cancel', '--sweep', 'control', '--redis', redis.url])).code).toBe(0);
    const status = await finished('control');
    expect(status.trials.map((row) => row.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(status.trials[0]!.result!.step).toBeUndefined(); // no metric reported before its end
    expect(existsSync(join(runDir, 'checkpoints', 'latest.json'))).toBe(true);
    expect(logSteps(runDir).length).toBeLessThan(4000);
    const resumed = await dgm(['sweep', 'resume', '--sweep', 'control', '--redis', redis.url]);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(/sweep control was cancelled/);
    const text = await dgm(['sweep', 'status', '--sweep', 'control', '--redis', redis.url]);
    expect(text.stdout).toMatch(/^sweep control: cancelled, finished; 0 waiting, 0 running, 0 completed, 0 stopped, 0 failed, 3 cancelled$/m);
  }, 180_000);
});
