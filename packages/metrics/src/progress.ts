import { InvalidArgumentError, type OnProgress } from '@dgm/core';

/** Refuses an `onProgress` option that is given but not a function. */
export function checkOnProgress(onProgress: unknown, caller: string): void {
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InvalidArgumentError(`${caller}: expected onProgress to be a function ({ stage, done, total }) => void, got ${onProgress === null ? 'null' : typeof onProgress}`);
  }
}

/** `{ onProgress }` that reports under `stage` instead, or `{}` without one: to spread into the options of a step of a longer task. */
export function progressIn(onProgress: OnProgress | undefined, stage: string): { onProgress?: OnProgress } {
  return onProgress === undefined ? {} : { onProgress: (progress) => onProgress({ ...progress, stage }) };
}
