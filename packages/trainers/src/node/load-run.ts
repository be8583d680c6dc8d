import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { CheckpointError, parseOptions } from '@dgm/core';
import { ganRunOf, type GanRun } from '../load-gan-run.js';
import { latestCheckpointFolder } from './checkpoint-folder.js';
import { readCheckpointFolder } from './file-system-store.js';

/**
 * Loads a `trainGan` run for inference: `dir` is a run folder (its latest checkpoint is read)
 * or one checkpoint folder (`…/checkpoints/step-NNNNNNN`). Gives G, D, the EMA generator, the
 * spec (with the data's class names), the step and the recipe.
 */
export async function loadRun(options: { dir: string }): Promise<GanRun> {
  const { dir } = parseOptions(z.strictObject({ dir: z.string().min(1, { error: 'expected a run or checkpoint folder' }) }), options, 'loadRun');
  const checkpointDir = (await exists(join(dir, 'state.json'))) ? dir : await runCheckpoint(dir);
  return ganRunOf(await readCheckpointFolder(checkpointDir), checkpointDir, 'loadRun');
}

async function runCheckpoint(dir: string): Promise<string> {
  if (!(await exists(join(dir, 'checkpoints', 'latest.json')))) {
    const what = (await exists(dir)) ? 'holds neither checkpoints/latest.json (a run folder) nor state.json (a checkpoint folder)' : 'does not exist';
    throw new CheckpointError(`loadRun: ${dir} ${what}`);
  }
  return latestCheckpointFolder(dir);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
