import { InvalidArgumentError } from '@dgm/core';
import type { RunContext } from './callbacks.js';
import type { RunOptions } from './train-loop.js';

/** Checks the options every trainer shares, before anything is built. */
export function checkRunOptions(options: RunOptions<RunContext>, caller: string): void {
  const { steps, epochs, seed = 0, store, resume, signal, callbacks = [], onNonFinite, minutes } = options;
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 0)) throw new InvalidArgumentError(`${caller}: steps must be a non-negative integer, got ${steps}`);
  if (epochs !== undefined && !(epochs > 0)) throw new InvalidArgumentError(`${caller}: epochs must be positive, got ${epochs}`);
  if (!Number.isInteger(seed) || seed < 0) throw new InvalidArgumentError(`${caller}: seed must be a non-negative integer, got ${seed}`);
  if (store !== undefined && (typeof store.write !== 'function' || typeof store.latest !== 'function')) {
    throw new InvalidArgumentError(`${caller}: store must be a CheckpointStore (memoryStore(), or fileSystemStore from the /node entry)`);
  }
  if (resume === true && store === undefined) throw new InvalidArgumentError(`${caller}: resume needs the store to resume from`);
  if (minutes !== undefined && !(typeof minutes === 'number' && minutes > 0 && Number.isFinite(minutes))) {
    throw new InvalidArgumentError(`${caller}: minutes must be a positive number (the time budget), got ${JSON.stringify(minutes)}`);
  }
  if (signal !== undefined && typeof signal.aborted !== 'boolean') throw new InvalidArgumentError(`${caller}: signal must be an AbortSignal`);
  if (!Array.isArray(callbacks)) throw new InvalidArgumentError(`${caller}: callbacks must be an array`);
  if (onNonFinite !== undefined && onNonFinite !== 'stop' && typeof onNonFinite?.rollback !== 'object') {
    throw new InvalidArgumentError(`${caller}: onNonFinite must be 'stop' or { rollback: { learningRateFactor?, maxRollbacks? } }`);
  }
}
