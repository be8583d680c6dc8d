import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { CheckpointError, parseOptions } from '@dgm/core';
import { fileSystemHandler } from '@dgm/models/node';
import { keepSchema, type Checkpoint, type CheckpointStore } from '../checkpoint-store.js';
import { latestCheckpointFolder, prepareRunFolder, readOptimizerStates, refuseVirtualRunDir, writeCheckpointFolder, writeOptimizerStates, type OptimizerLayout } from './checkpoint-folder.js';

export interface FileSystemStoreOptions {
  /** The run's folder: checkpoints go to runDir/checkpoints/step-NNNNNNN. */
  readonly runDir: string;
  /** How many of the newest checkpoints each write keeps (older ones are removed). Default 2; `checkpoints({ keep })` sets it for a run. */
  readonly keep?: number;
}

const schema = z.strictObject({
  runDir: z.string().min(1, { error: "expected a folder path (an empty one would write to ./checkpoints)" }),
  keep: keepSchema.optional(),
});

/**
 * Checkpoints in folders (see `writeCheckpointFolder`: atomic, with `latest.json`): each
 * model in its own tf.io folder, optimizers.bin, state.json and the documents as files.
 * A GAN run's checkpoint folder opens with `loadGan`. `prepare()` (called by the trainers
 * before anything is built) checks that runDir can be written and clears leftovers of a
 * killed write; a runDir under /proc, /sys or /dev is refused; file-system errors are
 * `CheckpointError`s with the cause.
 */
export function fileSystemStore(options: FileSystemStoreOptions): CheckpointStore {
  const { runDir, keep: storeKeep = 2 } = parseOptions(schema, options, 'fileSystemStore');
  refuseVirtualRunDir(runDir, 'fileSystemStore');
  return {
    location: runDir,
    prepare: () => prepareRunFolder(runDir, 'fileSystemStore'),
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
      } catch (error) {
        // No latest.json (or no folder) is no checkpoint; anything else (unreadable, not a
        // folder, damaged) is an error rather than a reason to start a new run over it.
        const code = ((error as { cause?: { code?: unknown } }).cause)?.code;
        if (code === 'ENOENT') return undefined;
        throw error;
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
