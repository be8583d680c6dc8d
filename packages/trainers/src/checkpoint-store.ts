import type * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';
import { parseOptions } from '@dgm/core';
import type { AdamState } from './adam.js';

/** One checkpoint of a run, as plain parts that any store can keep. */
export interface Checkpoint {
  readonly step: number;
  /** What wrote it, e.g. 'dgm-gan-run/1': a store hands it back only to a reader of the same format. */
  readonly format: string;
  /** The models as tf.io artifacts (topology and weights), by name: 'generator', 'classifier', … */
  readonly models: Readonly<Record<string, tf.io.ModelArtifacts>>;
  readonly optimizers: Readonly<Record<string, AdamState>>;
  /** Plain JSON: the loop's and the step's state. */
  readonly state: unknown;
  /** Text files kept beside the models, e.g. `gan.json` so that a GAN checkpoint opens with `loadGan`. */
  readonly documents?: Readonly<Record<string, string>>;
}

/**
 * Where a run's checkpoints go. `write` must be all-or-nothing: after a failure (or a killed
 * process) `latest` still returns the previous checkpoint.
 */
export interface CheckpointStore {
  /** Where it writes, for messages and for callbacks that write beside it (a folder, for the file-system store). */
  readonly location: string | undefined;
  /** Saves a checkpoint, then removes all but the `keep` newest (default: the store's own `keep`); resolves to where it lies. */
  write(checkpoint: Checkpoint, options?: { readonly keep?: number }): Promise<string>;
  /** The newest complete checkpoint and where it lies, or undefined when there is none. */
  latest(): Promise<{ readonly checkpoint: Checkpoint; readonly where: string } | undefined>;
  /**
   * Checks that checkpoints can be written (a `CheckpointError` if not) and clears what a killed
   * write left behind. The trainers call it before building anything; optional.
   */
  prepare?(): Promise<void>;
  /** Removes every checkpoint, so that a new run (or one loaded from elsewhere) starts in the same place; optional. */
  clear?(): Promise<void>;
}

/** A store in memory (tests, a browser tab): keeps the `keep` newest checkpoints (default 2). */
export function memoryStore(options: { keep?: number } = {}): CheckpointStore {
  const { keep: storeKeep = 2 } = parseOptions(z.strictObject({ keep: keepSchema.optional() }), options, 'memoryStore');
  const kept: { checkpoint: Checkpoint; where: string }[] = [];
  return {
    location: undefined,
    async write(checkpoint, { keep = storeKeep } = {}) {
      // Copies, so that a caller reusing its buffers cannot change what was saved.
      const copy = structuredClone(checkpoint);
      const where = `memory:step-${checkpoint.step}`;
      kept.push({ checkpoint: copy, where });
      kept.splice(0, Math.max(0, kept.length - keep));
      return where;
    },
    async latest() {
      const last = kept.at(-1);
      return last === undefined ? undefined : { checkpoint: structuredClone(last.checkpoint), where: last.where };
    },
    clear: async () => void kept.splice(0),
  };
}

/** A number of checkpoints to keep. */
export const keepSchema = z.int().min(1);

/** Checks a number of checkpoints to keep (`caller: keep: expected …, got …`). */
export function checkKeep(keep: unknown, caller: string): void {
  parseOptions(z.strictObject({ keep: keepSchema }), { keep }, caller);
}
