import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '../results');

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function machine(): Record<string, string | number> {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    tfjs: tf.version_core,
    date: new Date().toISOString(),
  };
}

/** numpy float32 GEMM at 2048³ on 1 thread and on all cores, when python3 with numpy is present. */
export function numpyGemm(): { oneThread: number; allThreads: number } | undefined {
  const script = `
import time, numpy as np
n = 2048
a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
a @ b
ts = []
for _ in range(5):
    t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)
print(2 * n**3 / sorted(ts)[2] / 1e9)`;
  const run = (threads: string | undefined): number => {
    const env = { ...process.env };
    if (threads !== undefined) Object.assign(env, { OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads });
    return Number(execFileSync('python3', ['-c', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  };
  try {
    return { oneThread: run('1'), allThreads: run(undefined) };
  } catch {
    return undefined;
  }
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Prints the report and writes it to results/<name>.md and results/<name>.json. */
export function writeResults(name: string, markdown: string, json: unknown): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.md`), `${markdown}\n`);
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\n${markdown}\n\nwritten: bench/results/${name}.md, bench/results/${name}.json`);
}

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}
