import { SingleBar } from 'cli-progress';
import { parseOptions } from '@dgm/core';
import type { RunContext, StepLogs, TrainCallback } from '../callbacks.js';
import { formatDuration, lineClock, terminalOptions } from './terminal-lines.js';

export interface ProgressBarOptions {
  /** Where to write. Default process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Without a TTY: a log line after the first step, then every this many seconds, and at the last step. Default 15. */
  readonly logEverySeconds?: number;
}

/** The losses a step's logs hold, e.g. 'D 0.693 G 0.702' or 'loss 0.120 acc 0.969'. */
const labels: Record<string, string> = { dLoss: 'D', gLoss: 'G', loss: 'loss', accuracy: 'acc' };
const summary = (logs: StepLogs | undefined) =>
  Object.entries(labels)
    .filter(([key]) => logs?.[key] !== undefined)
    .map(([key, label]) => `${label} ${logs![key]!.toFixed(3)}`)
    .join(' ');

/** Seconds left: by the pace of the steps so far, or by the time budget (`minutes`) when that ends sooner. */
function secondsLeft(context: RunContext, step: number, startedAt: number): { seconds: number; byTime: boolean; lastStep: number } {
  const now = performance.now();
  const secondsPerStep = (now - startedAt) / 1000 / Math.max(1, step - context.startStep);
  const bySteps = secondsPerStep * (context.totalSteps - step);
  const byTime = context.endsAt === undefined ? Infinity : (context.endsAt - now) / 1000;
  if (byTime >= bySteps) return { seconds: bySteps, byTime: false, lastStep: context.totalSteps };
  // The step the time budget will likely end at, at the pace so far.
  return { seconds: Math.max(0, byTime), byTime: true, lastStep: step + Math.round(Math.max(0, byTime) / secondsPerStep) };
}

/**
 * Progress of a run: on a TTY a bar (cli-progress) with steps, ETA, losses and images/s;
 * otherwise plain log lines, after the first step and then every `logEverySeconds`. The ETA
 * counts the time budget (`minutes`) when it ends the run sooner than the steps would, and
 * then the total shown is the step the budget will likely end at (`~N`, at the pace so far). A
 * resumed run says where it resumed from.
 */
export function progressBar(options: ProgressBarOptions = {}): TrainCallback<RunContext> {
  parseOptions(terminalOptions, options, 'progressBar');
  const { stream = process.stderr, logEverySeconds = 15 } = options;
  let bar: SingleBar | undefined;
  let startedAt = 0;
  const due = lineClock(logEverySeconds);
  // The last step seen and whether its line was written: a run the time budget, a signal or stop() ends gets a line for its last step too.
  let last: { step: number; line: string; written: boolean } | undefined;
  return {
    onTrainBegin(context) {
      startedAt = performance.now();
      const run = context.store?.location === undefined ? `(${context.resumedFrom})` : `of run ${context.store.location}`;
      if (context.resumedFrom !== undefined) stream.write(`resumed from step ${context.startStep} ${run}\n`);
      if (context.startStep >= context.totalSteps) return void stream.write(`nothing to do: already at step ${context.startStep} of ${context.totalSteps}\n`);
      if (stream.isTTY) {
        bar = new SingleBar({ stream, format: 'step {value}/{total} {bar} {percentage}% | ETA {left} | {losses} | {ips} img/s', hideCursor: true });
        bar.start(context.totalSteps, context.startStep, { losses: '', ips: '–', left: '–' });
      }
    },
    onBatchEnd(step, logs, context) {
      const left = secondsLeft(context, step, startedAt);
      const payload = { losses: summary(logs), ips: (logs['imagesPerSecond'] ?? 0).toFixed(0), left: `${formatDuration(left.seconds)}${left.byTime ? ' (time budget)' : ''}` };
      if (bar !== undefined) {
        if (left.byTime) bar.setTotal(left.lastStep);
        return void bar.update(step, payload);
      }
      const elapsed = formatDuration((performance.now() - startedAt) / 1000);
      last = { step, line: `step ${step}/${left.byTime ? `~${left.lastStep}` : context.totalSteps} | ${elapsed}, ETA ${payload.left} | ${payload.losses} | ${payload.ips} img/s\n`, written: false };
      if (!due(step === context.totalSteps)) return;
      stream.write(last.line);
      last.written = true;
    },
    onTrainEnd() {
      bar?.stop();
      if (last !== undefined && !last.written) stream.write(last.line);
    },
  };
}
