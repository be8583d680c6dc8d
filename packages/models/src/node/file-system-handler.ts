import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';

export interface FileSystemHandlerOptions {
  /** The model's folder: model.json and its weights file. */
  readonly dir: string;
}

/**
 * A `tf.io.IOHandler` on the Node file system that works with every backend (tfjs's own
 * `file://` handler exists only with tfjs-node). Saving writes the weights to a file named
 * by their hash, then model.json through a temporary file and a rename: model.json always
 * names complete weights, even if the process dies mid-save. Loading refuses weight paths
 * that leave the folder.
 */
export function fileSystemHandler({ dir }: FileSystemHandlerOptions): tf.io.IOHandler {
  if (typeof dir !== 'string' || dir === '') throw new CheckpointError(`fileSystemHandler: dir must be a folder path, got ${JSON.stringify(dir)}`);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new CheckpointError('fileSystemHandler: binary model topologies are not supported');
      const weights = new Uint8Array(artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const weightsFile = `weights-${createHash('sha256').update(weights).digest('hex').slice(0, 16)}.bin`;
      const { weightData: _data, weightSpecs, ...rest } = artifacts;
      const modelJson = { ...rest, weightsManifest: [{ paths: [weightsFile], weights: weightSpecs ?? [] }] };
      await writeAtomically(join(dir, weightsFile), weights);
      await writeAtomically(join(dir, 'model.json'), JSON.stringify(modelJson));
      // Weights of earlier saves are no longer referenced.
      for (const file of await readdir(dir)) {
        if (/^weights-[0-9a-f]{16}\.bin$/.test(file) && file !== weightsFile) await rm(join(dir, file), { force: true });
      }
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const path = join(dir, 'model.json');
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await readFile(path, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new CheckpointError(`fileSystemHandler: cannot read ${path}: ${(error as Error).message}`, { cause: error });
      }
      if (!Array.isArray(json.weightsManifest)) throw new CheckpointError(`${path}: no weightsManifest`);
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        for (const file of group.paths) buffers.push(await readFile(insideFolder(dir, file, path)));
      }
      const weightData = tf.io.CompositeArrayBuffer.join(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
      const { weightsManifest, ...rest } = json;
      return { ...rest, weightSpecs: weightsManifest.flatMap((group) => group.weights), weightData } as tf.io.ModelArtifacts;
    },
  };
}

/** The absolute path of `file` if it lies inside `dir`; a CheckpointError otherwise. */
function insideFolder(dir: string, file: unknown, manifest: string): string {
  const root = resolve(dir);
  const target = typeof file === 'string' ? resolve(root, file) : '';
  const rel = relative(root, target);
  if (typeof file !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(file) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new CheckpointError(`${manifest}: weight path ${JSON.stringify(file)} is outside the model's folder ${root}; refusing to read it`);
  }
  return target;
}
