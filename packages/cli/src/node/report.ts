import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CheckpointError } from '@dgm/core';
import type { Io } from './io.js';
import { writeRunReport } from './write-report.js';

/** `dgm report`: writes the run's self-contained HTML report. */
export async function report(flags: { run: string; out?: string }, io: Io): Promise<void> {
  const runDir = resolve(flags.run);
  if (!existsSync(runDir)) throw new CheckpointError(`report: --run ${runDir} does not exist`);
  const out = await writeRunReport({ runDir, ...(flags.out === undefined ? {} : { out: flags.out }) });
  io.log(`${out} (open it in a browser; it needs no server or network)`);
}
