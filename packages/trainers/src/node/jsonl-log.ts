import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { parseOptions } from '@dgm/core';
import { readJsonLines } from '@dgm/core/node';
import type { RunContext, TrainCallback } from '../callbacks.js';

/**
 * Appends every step's numbers to a JSON Lines file. When a run resumes, lines of steps
 * after the checkpoint (written by the run that stopped) are dropped first, so the file
 * reads as one run.
 */
export function jsonlLog(options: { path: string }): TrainCallback<RunContext> {
  const { path } = parseOptions(z.strictObject({ path: z.string().min(1, { error: 'expected a non-empty file path' }) }), options, 'jsonlLog');
  return {
    async onTrainBegin(context) {
      await mkdir(dirname(path), { recursive: true });
      // Line by line: a line a killed process left half-written is dropped, not the whole log.
      const kept = (await readJsonLines(path)).filter((record) => (record['step'] as number) <= context.startStep);
      await writeFile(path, kept.map((record) => `${JSON.stringify(record)}\n`).join(''));
    },
    async onBatchEnd(_step, logs) {
      await appendFile(path, `${JSON.stringify(logs)}\n`);
    },
  };
}
