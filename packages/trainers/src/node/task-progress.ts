import { SingleBar } from 'cli-progress';
import { parseOptions, type OnProgress } from '@dgm/core';
import { formatDuration, lineClock, terminalOptions } from './terminal-lines.js';

export interface TaskProgressOptions {
  /** Where to write. Default process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Without a TTY: a line at each stage's first report, then every this many seconds, and at its end. Default 15. */
  readonly logEverySeconds?: number;
}

/**
 * An `onProgress` for the terminal, for the long jobs that report progress (evaluateImages,
 * extractStatistics, computeCas, computeGanTest): a bar per stage on a TTY, else plain lines
 * such as 'generated features 2500/10000 (25%), 12 s, ETA 36 s'.
 */
export function taskProgress(options: TaskProgressOptions = {}): OnProgress {
  parseOptions(terminalOptions, options, 'taskProgress');
  const { stream = process.stderr, logEverySeconds = 15 } = options;
  let stage: string | undefined;
  let startedAt = 0;
  let bar: SingleBar | undefined;
  let due = lineClock(logEverySeconds);
  let first: number | undefined;
  return ({ stage: name, done, total }) => {
    if (name !== stage) {
      first = undefined;
      bar?.stop();
      stage = name;
      startedAt = performance.now();
      due = lineClock(logEverySeconds);
      bar = stream.isTTY ? new SingleBar({ stream, format: `${name} {bar} {value}/{total} | ETA {eta_formatted}`, hideCursor: true }) : undefined;
      bar?.start(total, 0);
    }
    const finished = done >= total;
    if (bar !== undefined) {
      bar.update(done);
      if (finished) bar.stop();
      return;
    }
    if (!due(finished)) return;
    const share = `${name} ${done}/${total} (${Math.floor((100 * done) / total)}%)`;
    // Timed from the stage's first report, which comes after its first batch: no pace to tell before the second.
    if (first === undefined) {
      first = done;
      return void stream.write(`${share}\n`);
    }
    const elapsed = (performance.now() - startedAt) / 1000;
    const eta = done > first ? (elapsed / (done - first)) * (total - done) : NaN;
    stream.write(`${share}, ${formatDuration(elapsed)}${finished ? '' : `, ETA ${formatDuration(eta)}`}\n`);
  };
}
