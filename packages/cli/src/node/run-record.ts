import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';
import { runRecordFormat, type RunRecord } from '../run-report.js';

/** The run's record (run.json), or undefined when the folder has none. */
export async function readRunRecord(runDir: string): Promise<RunRecord | undefined> {
  let text: string;
  try {
    text = await readFile(join(runDir, 'run.json'), 'utf8');
  } catch {
    return undefined;
  }
  let record: RunRecord;
  try {
    record = JSON.parse(text) as RunRecord;
  } catch (error) {
    throw new CheckpointError(`${join(runDir, 'run.json')} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (record?.format !== runRecordFormat) throw new CheckpointError(`${join(runDir, 'run.json')} is not a dgm run record (format ${JSON.stringify(record?.format)}, expected ${runRecordFormat})`);
  return record;
}

/** Writes run.json whole (a temporary file, then a rename): a killed process leaves the old one or the new one. */
export async function writeRunRecord(runDir: string, record: RunRecord): Promise<void> {
  await writeAtomically(join(runDir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
}
