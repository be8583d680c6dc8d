import { CheckpointError, DgmError, InvalidArgumentError } from '@dgm/core';
import type { Dataset } from '@dgm/data';
import type { RunContext } from './callbacks.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { RunOptions } from './train-loop.js';

/**
 * Checks what the run options' schema (option-schemas.ts) cannot: how options go together.
 * Each field's type and range is checked by the trainer's schema first.
 */
export function checkRunOptions(options: RunOptions<RunContext>, caller: string): void {
  const { store, resume } = options;
  if (resume === true && store === undefined) throw new InvalidArgumentError(`${caller}: resume needs the store to resume from`);
}

/**
 * A batch size asked for explicitly must fit the data: larger is an error rather than a silent
 * clamp. (A trainer's default batch size is clamped to the data's size.)
 */
export function checkBatchSize(batchSize: number | undefined, data: Dataset, caller: string): void {
  if (data.count < 1) throw new InvalidArgumentError(`${caller}: data: expected a non-empty Dataset, got one of 0 images`);
  if (batchSize !== undefined && batchSize > data.count) {
    throw new InvalidArgumentError(`${caller}: batchSize: expected ≤ ${data.count} (the data's image count), got number ${batchSize}`);
  }
}

/** Lets the store check that it can write (and clear what a killed run left) before anything is built. */
export async function prepareStore(store: CheckpointStore | undefined, caller: string): Promise<void> {
  if (store?.prepare === undefined) return;
  try {
    await store.prepare();
  } catch (error) {
    if (DgmError.isInstance(error)) throw error;
    throw new CheckpointError(`${caller}: the store ${store.location ?? ''} cannot be written: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}
