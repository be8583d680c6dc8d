import { SingleBar } from 'cli-progress';
import type { RunContext, StepLogs, TrainCallback } from '../callbacks.js';

export interface ProgressBarOptions {
  /** Where to write. Default process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Without a TTY: a log line every this many steps. Default: about 20 lines a run. */
  readonly logEvery?: number;
}

/** The losses a step's logs hold, e.g. 'D 0.693 G 0.702' or 'loss 0.120 acc 0.969'. */
const labels: Record<string, string> = { dLoss: 'D', gLoss: 'G', loss: 'loss', accuracy: 'acc' };
const summary = (logs: StepLogs | undefined) =>
  Object.entries(labels)
    .filter(([key]) => logs?.[key] !== undefined)
    .map(([key, label]) => `${label} ${logs![key]!.toFixed(3)}`)
    .join(' ');

/**
 * Progress of a run: on a TTY a bar (cli-progress) with steps, ETA, losses and images/s;
 * otherwise plain log lines.
 */
export function progressBar({ stream = process.stderr, logEvery }: ProgressBarOptions = {}): TrainCallback<RunContext> {
  let bar: SingleBar | undefined;
  let every = 1;
  let started = 0;
  return {
    onTrainBegin(context) {
      started = performance.now();
      every = logEvery ?? Math.max(1, Math.round((context.totalSteps - context.startStep) / 20));
      if (stream.isTTY) {
        bar = new SingleBar({
          stream,
          format: 'step {value}/{total} {bar} {percentage}% | ETA {eta_formatted} | {losses} | {ips} img/s',
          hideCursor: true,
          etaBuffer: 50,
        });
        bar.start(context.totalSteps, context.startStep, { losses: '', ips: '–' });
      }
    },
    onBatchEnd(step, logs, context) {
      const payload = { losses: summary(logs), ips: (logs['imagesPerSecond'] ?? 0).toFixed(0) };
      if (bar !== undefined) {
        bar.update(step, payload);
      } else if (step % every === 0 || step === context.totalSteps) {
        const elapsed = (performance.now() - started) / 1000;
        const eta = (elapsed / (step - context.startStep)) * (context.totalSteps - step);
        stream.write(`step ${step}/${context.totalSteps} | ${elapsed.toFixed(0)} s, ETA ${eta.toFixed(0)} s | ${payload.losses} | ${payload.ips} img/s\n`);
      }
    },
    onTrainEnd() {
      bar?.stop();
    },
  };
}
