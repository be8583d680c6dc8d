import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError, type RandomState } from '@dgm/core';
import type { BatchStreamState } from '@dgm/data';
import { fileSystemHandler } from '@dgm/models/node';
import type { AdamState } from './adam.js';
import { latestCheckpointFolder, readOptimizerStates, writeCheckpointFolder, writeOptimizerStates, type OptimizerLayout } from './checkpoint-folder.js';

/** Everything besides the model and optimizer that a classifier run needs to continue exactly. Plain JSON. */
export interface ClassifierTrainingState {
  readonly step: number;
  readonly epoch: number;
  readonly seed: number;
  readonly random: RandomState;
  readonly data: BatchStreamState;
  readonly batchSize: number;
}

export interface ClassifierCheckpoint {
  readonly model: tfl.LayersModel;
  readonly optimizer: AdamState;
  readonly state: ClassifierTrainingState;
}

const FORMAT = 'dgm-classifier-checkpoint/1';

/** Writes runDir/checkpoints/step-NNNNNNN with classifier/ (tf.io), optimizers.bin and state.json. */
export async function writeClassifierCheckpoint(runDir: string, checkpoint: ClassifierCheckpoint, keep = 2): Promise<string> {
  return writeCheckpointFolder(
    runDir,
    checkpoint.state.step,
    async (dir) => {
      await checkpoint.model.save(fileSystemHandler({ dir: join(dir, 'classifier') }));
      const optimizers = await writeOptimizerStates(dir, { classifier: checkpoint.optimizer });
      await writeFile(join(dir, 'state.json'), JSON.stringify({ format: FORMAT, state: checkpoint.state, optimizers }, null, 2));
    },
    keep,
  );
}

/** Reads the classifier checkpoint `latest.json` of runDir points to. */
export async function readClassifierCheckpoint(runDir: string): Promise<ClassifierCheckpoint & { dir: string }> {
  const dir = await latestCheckpointFolder(runDir);
  const saved = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { format: string; state: ClassifierTrainingState; optimizers: OptimizerLayout };
  if (saved.format !== FORMAT) throw new CheckpointError(`${dir}: format ${JSON.stringify(saved.format)}, expected ${FORMAT}`);
  const model = await tfl.loadLayersModel(fileSystemHandler({ dir: join(dir, 'classifier') }));
  const { classifier } = await readOptimizerStates(dir, saved.optimizers);
  return { dir, model, optimizer: classifier!, state: saved.state };
}
