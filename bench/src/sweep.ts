// pnpm bench sweep: trials per hour with 1, 2 and 3 `dgm worker` processes on this machine, and
// what the queue adds to a trial beyond running `dgm train` itself.
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Queue } from 'bullmq';
import { defaultQueue, startRedisServer, startSweep, sweepStatus } from '@dgm/sweep/node';
import { fixed, machine, markdownTable, median, writeResults } from './report.js';

const dgmBin = join(dirname(createRequire(import.meta.url).resolve('@dgm/cli/package.json')), 'dist/node/bin.js');
const trialsPerSweep = 6;
/** One trial: a DCGAN at widths 16, 60 steps at batch 32, FID of 200 samples at its end. */
const train = {
  model: 'dcgan',
  data: 'mnist',
  steps: 60,
  batchSize: 32,
  metricsEvery: 60,
  metricsSamples: 200,
  checkpointEvery: 30,
  gridEvery: 60,
  modelOptions: { generatorFilters: 16, discriminatorFilters: 16 },
};

const scratch = mkdtempSync(join(tmpdir(), 'dgm-bench-sweep-'));
const redis = await startRedisServer({ dir: scratch });

/** Seconds of one `dgm train` of the trial, run directly (no queue). */
function direct(seed: number): number {
  const config = join(scratch, `direct-${seed}.json`);
  writeFileSync(config, JSON.stringify({ ...train, seed }));
  const started = performance.now();
  execFileSync(process.execPath, [dgmBin, 'train', '--config', config, '--run-dir', join(scratch, `direct-${seed}`)], { stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

/** Seconds from enqueueing `trialsPerSweep` trials to the last result, with `workers` worker processes started first, and each trial's training process seconds. */
async function sweep(workers: number): Promise<{ seconds: number; span: number; trainSeconds: number[] }> {
  const name = `bench-${workers}w`;
  const runsDir = join(scratch, 'runs');
  const children = Array.from({ length: workers }, () => spawn(process.execPath, [dgmBin, 'worker', '--redis', redis.url, '--runs-dir', runsDir], { stdio: 'ignore', env: { ...process.env, DGM_POLL_MS: '250' } }));
  await new Promise((resolve) => setTimeout(resolve, 3000)); // the workers connect and wait
  const started = performance.now();
  await startSweep({ redis: redis.url, spec: { name, train, space: { seed: { values: Array.from({ length: trialsPerSweep }, (_, i) => i) } }, metric: { name: 'fid200-mnist-cnn', goal: 'minimize' } } });
  while (!(await sweepStatus({ redis: redis.url, sweep: name })).finished) await new Promise((resolve) => setTimeout(resolve, 100));
  const seconds = (performance.now() - started) / 1000;
  const { trials } = await sweepStatus({ redis: redis.url, sweep: name });
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => once(child, 'exit')));
  // BullMQ's own clock of the jobs: from the first enqueued to the last completed.
  const queue = new Queue(defaultQueue, { connection: { url: redis.url } });
  const jobs = (await queue.getJobs(['completed'])).filter((job) => job.data.sweep === name);
  await queue.close();
  const span = (Math.max(...jobs.map((job) => job.finishedOn!)) - Math.min(...jobs.map((job) => job.timestamp))) / 1000;
  return { seconds, span, trainSeconds: trials.map((t) => t.result!.trainSeconds!) };
}

try {
  const directSeconds = median([direct(100), direct(101), direct(102)]);
  const rows: (string | number)[][] = [];
  const results: { workers: number; seconds: number; span: number; trialsPerHour: number; trainSeconds: number; totalTrainSeconds: number }[] = [];
  for (const workers of [1, 2, 3]) {
    const { seconds, span, trainSeconds } = await sweep(workers);
    results.push({ workers, seconds, span, trialsPerHour: (trialsPerSweep / seconds) * 3600, trainSeconds: median(trainSeconds), totalTrainSeconds: trainSeconds.reduce((a, b) => a + b, 0) });
  }
  const one = results[0]!;
  for (const r of results) rows.push([r.workers, trialsPerSweep, fixed(r.seconds), fixed(r.trialsPerHour, 0), `${fixed(r.trialsPerHour / one.trialsPerHour, 2)}×`, fixed(r.trainSeconds, 2)]);
  // One worker takes the trials one after another: what each costs beyond its training process is the queue's (and the worker's) share.
  const overheadMs = ((one.span - one.totalTrainSeconds) / trialsPerSweep) * 1000;
  const markdown = [
    `Sweeps of ${trialsPerSweep} trials (${JSON.stringify(train)}), \`dgm worker\` processes on this machine taking them from a local redis-server (append-only, fsync always); each trial a \`dgm train\` child process on wasm with @dgm/kernels.`,
    '',
    markdownTable(['workers', 'trials', 'seconds', 'trials per hour', 'vs 1 worker', 'seconds of one trial’s dgm train (median)'], rows),
    '',
    `The same trial run directly (\`dgm train\`, median of 3): ${fixed(directSeconds, 2)} s. Queue overhead per trial with one worker (from the first job enqueued to the last completed, by BullMQ's timestamps, minus the trials' own \`dgm train\` seconds, per trial: taking the job, writing trial.json, starting the process, reading the log, recording the result, completing the job): ${fixed(overheadMs, 0)} ms.`,
    '',
    `\`pnpm bench sweep\`; machine: ${Object.entries(machine()).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  ].join('\n');
  writeResults('sweep', markdown, { machine: machine(), train, trialsPerSweep, directSeconds, overheadMs, results });
} finally {
  await redis.stop();
  rmSync(scratch, { recursive: true, force: true });
}
