import { readFile } from 'node:fs/promises';
import { CheckpointError } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';
import { decodeReferenceStatistics, encodeReferenceStatistics, type ReferenceStatistics } from '../reference-statistics.js';

/** Writes reference statistics to one file (`encodeReferenceStatistics`), atomically. */
export async function saveReferenceStatistics(path: string, stats: ReferenceStatistics): Promise<void> {
  await writeAtomically(path, encodeReferenceStatistics(stats));
}

/** Reads a file that `saveReferenceStatistics` wrote. */
export async function loadReferenceStatistics(path: string): Promise<ReferenceStatistics> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CheckpointError(`loadReferenceStatistics: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return decodeReferenceStatistics(bytes, path);
}
