import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { fileSystemHandler } from '@dgm/models/node';
import { checkKeep, type Checkpoint, type CheckpointStore } from '../checkpoint-store.js';
import { latestCheckpointFolder, readOptimizerStates, writeCheckpointFolder, writeOptimizerStates, type OptimizerLayout } from './checkpoint-folder.js';

export interface FileSystemStoreOptions {
  /** The run's folder: checkpoints go to runDir/checkpoints/step-NNNNNNN. */
  readonly runDir: string;
  /** How many of the newest checkpoints each write keeps (older ones are removed). Default 2; `checkpoints({ keep })` sets it for a run. */
  readonly keep?: number;
}

/**
 * Checkpoints in folders (see `writeCheckpointFolder`: atomic, with `latest.json`): each
 * model in its own tf.io folder, optimizers.bin, state.json and the documents as files.
 * A GAN run's checkpoint folder opens with `loadGan`.
 */
export function fileSystemStore({ runDir, keep: storeKeep = 2 }: FileSystemStoreOptions): CheckpointStore {
  if (typeof runDir !== 'string' || runDir === '') throw new InvalidArgumentError(`fileSystemStore: runDir must be a folder path, got ${JSON.stringify(runDir)}`);
  checkKeep(storeKeep, 'fileSystemStore');
  return {
    location: runDir,
    write: (checkpoint, { keep = storeKeep } = {}) =>
      writeCheckpointFolder(
        runDir,
        checkpoint.step,
        async (dir) => {
          for (const [name, artifacts] of Object.entries(checkpoint.models)) await modelFolder(join(dir, name)).save(artifacts);
          for (const [name, document] of Object.entries(checkpoint.documents ?? {})) await writeFile(join(dir, name), document);
          const optimizers = await writeOptimizerStates(dir, checkpoint.optimizers);
          const manifest = { format: checkpoint.format, step: checkpoint.step, models: Object.keys(checkpoint.models), documents: Object.keys(checkpoint.documents ?? {}), optimizers, state: checkpoint.state };
          await writeFile(join(dir, 'state.json'), JSON.stringify(manifest, null, 2));
        },
        keep,
      ),
    async latest() {
      let dir: string;
      try {
        dir = await latestCheckpointFolder(runDir);
      } catch {
        return undefined;
      }
      return { checkpoint: await readCheckpointFolder(dir), where: dir };
    },
  };
}

/** A model's tf.io folder (the handler has both save and load). */
const modelFolder = (dir: string) => fileSystemHandler({ dir }) as Required<Pick<tf.io.IOHandler, 'save' | 'load'>>;

/** What the store wrote into one checkpoint folder. */
export async function readCheckpointFolder(dir: string): Promise<Checkpoint> {
  let manifest: { format: string; step: number; models: string[]; documents: string[]; optimizers: OptimizerLayout; state: unknown };
  try {
    manifest = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as typeof manifest;
  } catch (error) {
    throw new CheckpointError(`${dir}: cannot read state.json: ${(error as Error).message}`, { cause: error });
  }
  const models = Object.fromEntries(await Promise.all(manifest.models.map(async (name) => [name, await modelFolder(join(dir, name)).load()] as const)));
  const documents = Object.fromEntries(await Promise.all(manifest.documents.map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as const)));
  const optimizers = await readOptimizerStates(dir, manifest.optimizers);
  return { step: manifest.step, format: manifest.format, models, optimizers, state: manifest.state, documents };
}
