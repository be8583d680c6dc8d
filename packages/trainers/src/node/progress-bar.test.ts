import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-layers';
import { initBackend } from '@dgm/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { disposeGan, tinyGan, toyData } from '../toy.test-helper.js';
import { trainGan } from '../train-gan.js';
import { fileSystemStore } from './file-system-store.js';
import { progressBar } from './progress-bar.js';
import { formatDuration } from './terminal-lines.js';
import { taskProgress } from './task-progress.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

const data = toyData(24);
let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'dgm-progress-'));
});
afterEach(() => rm(runDir, { recursive: true, force: true }));

/** A stream without a TTY that records each line and when it came. */
function recorder() {
  const started = performance.now();
  const lines: { text: string; seconds: number }[] = [];
  const stream = { isTTY: false, write: (text: string) => lines.push({ text, seconds: (performance.now() - started) / 1000 }) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

describe('progress without a TTY', () => {
  it('a time-budgeted run prints its first step at once, with an ETA of the budget and the step it will likely end at, then stops by time', async () => {
    const gan = tinyGan('dcgan');
    const { stream, lines } = recorder();
    const result = await trainGan({ gan, data, steps: 1_000_000, batchSize: 6, ema: false, minutes: 0.05, callbacks: [progressBar({ stream })] });
    expect(result).toMatchObject({ stoppedBy: 'time', aborted: true });
    expect(result.step).toBeGreaterThan(1);
    expect(result.step).toBeLessThan(1_000_000);
    const first = lines[0]!;
    expect(first.text).toMatch(/^step 1\/~\d+ \| \d+ s, ETA \d+ s \(time budget\) \| D \d\.\d{3} G \d\.\d{3} \| \d+ img\/s\n$/);
    expect(first.seconds).toBeLessThan(30);
    // The step the budget ended on gets its line too, at the end.
    const lastLine = new RegExp(`^step ${result.step}/~(\\d+) `).exec(lines.at(-1)!.text);
    expect(lastLine).not.toBeNull();
    // By the end the estimate has come down from a million to about where the budget ended.
    expect(Number(lastLine![1])).toBeGreaterThanOrEqual(result.step - 1);
    expect(Number(lastLine![1])).toBeLessThan(result.step * 2 + 10);
    disposeGan(gan);
  });

  it('says where a run resumed from', async () => {
    const gan = tinyGan('dcgan');
    await trainGan({ gan, data, steps: 2, batchSize: 6, ema: false, store: fileSystemStore({ runDir }) });
    const { stream, lines } = recorder();
    await trainGan({ gan, data, steps: 3, batchSize: 6, ema: false, store: fileSystemStore({ runDir }), resume: true, callbacks: [progressBar({ stream })] });
    expect(lines.map((l) => l.text.split(' |')[0])).toEqual([`resumed from step 2 of run ${runDir}\n`, 'step 3/3']);
    const again = recorder();
    await trainGan({ gan, data, steps: 3, batchSize: 6, ema: false, store: fileSystemStore({ runDir }), resume: true, callbacks: [progressBar({ stream: again.stream })] });
    expect(again.lines.map((l) => l.text)).toEqual([`resumed from step 3 of run ${runDir}\n`, 'nothing to do: already at step 3 of 3\n']);
    disposeGan(gan);
  });

  it('taskProgress prints a stage at its first report (no pace yet), then every interval, and at its end', () => {
    const { stream, lines } = recorder();
    const report = taskProgress({ stream, logEverySeconds: 3600 });
    for (const done of [250, 500, 750, 1000]) report({ stage: 'generated features', done, total: 1000 });
    report({ stage: 'reference features', done: 10, total: 20 });
    expect(lines.map((l) => l.text.replace(/\d+ s/g, 'T'))).toEqual([
      'generated features 250/1000 (25%)\n',
      'generated features 1000/1000 (100%), T\n',
      'reference features 10/20 (50%)\n',
    ]);
    expect(() => taskProgress({ logEverySeconds: -1 })).toThrow(/logEverySeconds: expected ≥ 0/);
  });

  it('formats durations for people', () => {
    expect([5, 65, 3600 + 15 * 60 + 2, Infinity].map(formatDuration)).toEqual(['5 s', '1m05s', '1h15m', '–']);
  });
});
