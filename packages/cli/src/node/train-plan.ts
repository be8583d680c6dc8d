import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { readRunRecord } from './run-record.js';
import { readConfigFile, resolveTrainConfig, type TrainConfig } from './train-config.js';
import { checkTrainConfig } from './check-train-config.js';
import type { DataSpec } from './data-source.js';

/** `dgm train`'s flags as commander gives them (only those the user gave are set). */
export interface TrainFlags {
  readonly model?: string;
  readonly data?: string;
  readonly steps?: number;
  readonly minutes?: number;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly backend?: string;
  readonly runDir?: string;
  readonly resume?: boolean;
  readonly config?: string;
  readonly set?: readonly string[];
  readonly metricsEvery?: number;
}

export interface TrainPlan {
  readonly config: TrainConfig;
  readonly data: DataSpec;
  /** The recipe after defaults (GANs), as run.json records it. */
  readonly recipe: unknown;
  readonly runDir: string;
  readonly resume: boolean;
}

/** What a resumed run must keep: its checkpoint holds weights of this model, trained on this data, from this seed. */
const fixedOnResume = ['model', 'data', 'seed', 'batchSize', 'modelOptions', 'imageShape', 'labelsPerClass'] as const;

/**
 * The run's settings, checked before anything is built: a config file, then the flags, then
 * `--set`; with `--resume`, the run's own run.json first, and what its checkpoint depends on
 * may not change.
 */
export async function planTraining(flags: TrainFlags, now = new Date()): Promise<TrainPlan> {
  const given = Object.fromEntries(Object.entries(flags).filter(([key, value]) => value !== undefined && !['resume', 'config', 'set'].includes(key)));
  const file = flags.config === undefined ? {} : await readConfigFile(flags.config);
  const resume = flags.resume === true;
  const stored = resume ? await storedConfig(flags.runDir ?? (file['runDir'] as string | undefined)) : {};
  const config = resolveTrainConfig([stored, file, given], flags.set ?? []);
  if (resume) {
    for (const key of fixedOnResume) {
      if (JSON.stringify(config[key]) !== JSON.stringify(stored[key] ?? config[key])) {
        throw new InvalidArgumentError(`--resume: ${key} must stay ${JSON.stringify(stored[key])} (the run's checkpoint depends on it), got ${JSON.stringify(config[key])}`);
      }
    }
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const runDir = resolve(config.runDir ?? join('runs', `${config.model}-${config.data.replace(/[^a-z0-9-]+/gi, '_')}-${stamp}`));
  if (!resume && existsSync(join(runDir, 'checkpoints', 'latest.json'))) {
    throw new InvalidArgumentError(`--run-dir ${runDir} already holds a run: add --resume to continue it, or give another folder`);
  }
  const { data, recipe } = checkTrainConfig(config);
  return { config: { ...config, runDir }, data, recipe, runDir, resume };
}

async function storedConfig(runDir: string | undefined): Promise<Record<string, unknown>> {
  if (runDir === undefined) throw new InvalidArgumentError('--resume needs --run-dir DIR (the run to continue)');
  const record = await readRunRecord(resolve(runDir));
  if (record === undefined) throw new CheckpointError(`--resume: ${resolve(runDir)} holds no run.json (not a run of dgm train)`);
  return record.config as Record<string, unknown>;
}
