import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InvalidArgumentError } from '@dgm/core';
import { cancelSweep, pauseSweep, resumeSweep, runWorker, startSweep, sweepStatus } from '@dgm/sweep/node';
import type { Io } from './io.js';
import { checkTrainConfig } from './check-train-config.js';
import { example, integer } from './flag-parsers.js';
import { readConfigFile, resolveTrainConfig } from './train-config.js';
import { writeSweepReport } from './write-sweep-report.js';

const defaultRedis = process.env['DGM_REDIS'] ?? 'redis://127.0.0.1:6379';
const redisOption = ['--redis <url>', 'the Redis server every machine reaches (default $DGM_REDIS or redis://127.0.0.1:6379)', defaultRedis] as const;
/** This package's bin: what a worker runs for each trial (`node dgm train …`). */
const trialCommand = [process.execPath, fileURLToPath(new URL('./bin.js', import.meta.url))];

/** `dgm sweep start|status|pause|resume|cancel|report` and `dgm worker`. */
export function addSweepCommands(program: Command, io: Io): void {
  const sweep = program.command('sweep').description('sweeps of many trainings over every machine that reaches one Redis server (BullMQ)');
  sweep
    .command('start')
    .description("enqueue a sweep's trials (starting the same sweep again enqueues nothing twice)")
    .requiredOption('--spec <file>', 'the sweep in YAML or JSON')
    .option(...redisOption)
    .addHelpText('after', example('dgm sweep start --spec lr.yaml --redis redis://10.0.0.5:6379'))
    .action(async (flags: { spec: string; redis: string }) => {
      const checkTrial = (trial: { id: string; config: Readonly<Record<string, unknown>> }) => {
        try {
          checkTrainConfig(resolveTrainConfig([trial.config as Record<string, unknown>], []));
        } catch (error) {
          throw new InvalidArgumentError(`sweep: trial ${trial.id}: ${(error as Error).message}`, { cause: error });
        }
      };
      const { spec, trials } = await startSweep({ redis: flags.redis, spec: await readConfigFile(flags.spec, '--spec'), checkTrial });
      io.log(`sweep ${spec.name}: ${trials.length} trials enqueued on ${flags.redis}; start workers with: dgm worker --redis ${flags.redis} --runs-dir DIR`);
    });
  sweep
    .command('status')
    .description("a sweep's state and its trials' table")
    .requiredOption('--sweep <name>', 'the sweep')
    .option(...redisOption)
    .option('--json', 'print it as JSON')
    .addHelpText('after', example('dgm sweep status --sweep lr --json'))
    .action(async (flags: { sweep: string; redis: string; json?: boolean }) => {
      const status = await sweepStatus({ redis: flags.redis, sweep: flags.sweep });
      if (flags.json === true) return io.log(JSON.stringify(status, null, 2));
      io.log(`sweep ${status.sweep}: ${status.state}${status.finished ? ', finished' : ''}; ${Object.entries(status.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
      for (const row of status.trials) io.log(`${row.trial}  ${row.status.padEnd(9)}  ${JSON.stringify(row.params)}  ${row.result?.metric?.toFixed(4) ?? ''}${row.result?.error === undefined ? '' : `  ${row.result.error}`}`);
      if (status.best !== undefined) io.log(`best: ${status.best.trial} (${status.spec.metric.name} ${status.best.result!.metric!.toFixed(4)})`);
    });
  for (const [name, act, what] of [['pause', pauseSweep, 'workers take no new trial of it until resume'], ['resume', resumeSweep, 'workers take its trials again'], ['cancel', cancelSweep, 'remove its waiting trials and stop the running ones (with a checkpoint)']] as const) {
    sweep
      .command(name)
      .description(what)
      .requiredOption('--sweep <name>', 'the sweep')
      .option(...redisOption)
      .addHelpText('after', example(`dgm sweep ${name} --sweep lr`))
      .action(async (flags: { sweep: string; redis: string }) => {
        await act({ redis: flags.redis, sweep: flags.sweep });
        io.log(`sweep ${flags.sweep}: ${name === 'cancel' ? 'cancelled' : name === 'pause' ? 'paused' : 'running'}`);
      });
  }
  sweep
    .command('report')
    .description("one self-contained HTML file of a sweep: a row a trial, the metric over steps, links to the trials' run reports")
    .requiredOption('--sweep <name>', 'the sweep')
    .requiredOption('--runs-dir <dir>', 'the runs folder the workers share')
    .option(...redisOption)
    .option('--out <file>', 'default RUNS/SWEEP/report.html')
    .addHelpText('after', example('dgm sweep report --sweep lr --runs-dir /shared/runs'))
    .action(async (flags: { sweep: string; redis: string; runsDir: string; out?: string }) => {
      const out = await writeSweepReport({ status: await sweepStatus({ redis: flags.redis, sweep: flags.sweep }), runsDir: flags.runsDir, ...(flags.out === undefined ? {} : { out: flags.out }) });
      io.log(out);
    });
  program
    .command('worker')
    .description("take trials from the queue on this machine until Ctrl-C (which hands the running ones back)")
    .requiredOption('--runs-dir <dir>', 'the runs folder every worker shares (a shared file system path)')
    .option(...redisOption)
    .option('--concurrency <n>', 'trials at once (each a process; default 1)', integer(1), 1)
    .addHelpText('after', example('dgm worker --redis redis://10.0.0.5:6379 --runs-dir /shared/runs --concurrency 2'))
    .action(async (flags: { redis: string; runsDir: string; concurrency: number }) => {
      const worker = await runWorker({ redis: flags.redis, runsDir: flags.runsDir, command: trialCommand, concurrency: flags.concurrency, ...workerTimings(), onTrialEnd: (r) => io.log(`${r.trial}: ${r.status}${r.metric === undefined ? '' : ` ${r.metric}`}${r.error === undefined ? '' : ` (${r.error})`}`), onError: (error) => io.error(`worker: ${error.message}`) });
      io.log(`worker ${worker.id}: taking trials from ${flags.redis} (Ctrl-C to stop)`);
      await new Promise<void>((resolve) => {
        const stop = () => void worker.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

/** Lock and stall-check timings from the environment (DGM_LOCK_MS, DGM_STALLED_MS, DGM_POLL_MS), for tests that kill workers. */
function workerTimings(): { lockMs?: number; stalledCheckMs?: number; pollMs?: number } {
  const read = (name: string) => (process.env[name] === undefined ? undefined : Number(process.env[name]));
  const timings = { lockMs: read('DGM_LOCK_MS'), stalledCheckMs: read('DGM_STALLED_MS'), pollMs: read('DGM_POLL_MS') };
  return Object.fromEntries(Object.entries(timings).filter(([, v]) => v !== undefined));
}
