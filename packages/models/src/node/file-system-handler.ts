import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { CheckpointError, describeValue, parseOptions, isPlainObject } from '@dgm/core';
import { isPathBelow, writeAtomically } from '@dgm/core/node';


export interface FileSystemHandlerOptions {
  /** The model's folder: model.json and its weights file. */
  readonly dir: string;
}

/**
 * A `tf.io.IOHandler` on the Node file system that works with every backend (tfjs's own
 * `file://` handler exists only with tfjs-node). Saving writes the weights to a file named
 * by their hash, then model.json through a temporary file and a rename: model.json always
 * names complete weights, even if the process dies mid-save. Loading refuses weight paths
 * that leave the folder, by name or through a symlink: model.json and every weights file are
 * resolved to their real paths, which must lie inside the folder's real path.
 */
export function fileSystemHandler(options: FileSystemHandlerOptions): tf.io.IOHandler {
  const { dir } = parseOptions(z.strictObject({ dir: z.string().min(1, { error: 'expected a folder path' }) }), options, 'fileSystemHandler');
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
      const root = await realFolder(dir, path);
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await readFile(await containedFile(root, path, path, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        if (CheckpointError.isInstance(error)) throw error;
        throw new CheckpointError(`fileSystemHandler: cannot read ${path}: ${(error as Error).message}`, { cause: error });
      }
      if (!isPlainObject(json) || !Array.isArray(json.weightsManifest)) throw new CheckpointError(`${path}: no weightsManifest (expected a tfjs model.json object, got ${describeValue(json)})`);
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        if (!isPlainObject(group) || !Array.isArray(group.paths)) throw new CheckpointError(`${path}: a weightsManifest group without paths`);
        for (const file of group.paths) {
          const real = await containedFile(root, insideFolder(dir, file, path), path, `weight path ${JSON.stringify(file)}`);
          buffers.push(await readWeights(real, path));
        }
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
  if (typeof file !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(file) || !isPathBelow(root, target)) {
    throw new CheckpointError(`${manifest}: weight path ${JSON.stringify(file)} is outside the model's folder ${root}; refusing to read it`);
  }
  return target;
}

/** The real path of the model's folder (symlinks resolved): what every file it reads must lie in. */
async function realFolder(dir: string, manifest: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch (error) {
    throw new CheckpointError(`fileSystemHandler: cannot read ${manifest}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The real path of `path` (every symlink resolved) if it is a regular file inside the folder's
 * real path `root`; a CheckpointError otherwise: a link to /etc/passwd, to a file beside the
 * folder or through a linked subfolder is refused, not read.
 */
async function containedFile(root: string, path: string, manifest: string, what: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    throw new CheckpointError(`fileSystemHandler: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!isPathBelow(root, real)) {
    throw new CheckpointError(`${manifest}: ${what} resolves to ${real}, outside the model's folder ${root}; refusing to read it`);
  }
  if (!(await stat(real)).isFile()) throw new CheckpointError(`${manifest}: ${what} is not a file (${real})`);
  return real;
}

async function readWeights(path: string, manifest: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CheckpointError(`${manifest}: cannot read weights ${path}: ${(error as Error).message}`, { cause: error });
  }
}
