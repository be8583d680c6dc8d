import { SingleBar } from 'cli-progress';
import type { TrainCallback } from './callbacks.js';

export interface ProgressBarOptions {
  /** Where to write. Default process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Without a TTY: a log line every this many steps. Default: about 20 lines a run. */
  readonly logEvery?: number;
}

const format = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(3));

/**
 * Progress of a run: on a TTY a bar (cli-progress) with steps, ETA, losses and images/s;
 * otherwise plain log lines.
 */
export function progressBar({ stream = process.stderr, logEvery }: ProgressBarOptions = {}): TrainCallback {
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
          format: 'step {value}/{total} {bar} {percentage}% | ETA {eta_formatted} | D {dLoss} G {gLoss} | {ips} img/s',
          hideCursor: true,
          etaBuffer: 50,
        });
        bar.start(context.totalSteps, context.startStep, { dLoss: '–', gLoss: '–', ips: '–' });
      }
    },
    onBatchEnd(step, logs, context) {
      const payload = { dLoss: format(logs['dLoss']), gLoss: format(logs['gLoss']), ips: (logs['imagesPerSecond'] ?? 0).toFixed(0) };
      if (bar !== undefined) {
        bar.update(step, payload);
      } else if (step % every === 0 || step === context.totalSteps) {
        const elapsed = (performance.now() - started) / 1000;
        const eta = (elapsed / (step - context.startStep)) * (context.totalSteps - step);
        stream.write(`step ${step}/${context.totalSteps} | ${elapsed.toFixed(0)} s, ETA ${eta.toFixed(0)} s | D ${payload.dLoss} G ${payload.gLoss} | ${payload.ips} img/s\n`);
      }
    },
    onTrainEnd() {
      bar?.stop();
    },
  };
}
