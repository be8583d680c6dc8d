import { openDB, type IDBPDatabase } from 'idb';
import * as z from 'zod';
import { CheckpointError, parseOptions } from '@dgm/core';
import { keepSchema, type Checkpoint, type CheckpointStore } from './checkpoint-store.js';

export interface IndexedDbStoreOptions {
  /** The run's name: its checkpoints go to the IndexedDB database `dgm-run:<name>` of the page's origin. */
  readonly name: string;
  /** How many of the newest checkpoints each write keeps. Default 2; `checkpoints({ keep })` sets it for a run. */
  readonly keep?: number;
}

const schema = z.strictObject({ name: z.string().min(1), keep: keepSchema.optional() });
const table = 'checkpoints';

/**
 * Checkpoints in the browser's IndexedDB, kept across reloads of the page: each write is one
 * transaction (the checkpoint and the removal of older ones), so a closed tab leaves the
 * previous checkpoint whole. Resume with `trainGan({ …, store, resume: true })`, or open the
 * run with `loadGanRun({ store })`. In Node, give it an IndexedDB (e.g. fake-indexeddb).
 */
export function indexedDbStore(options: IndexedDbStoreOptions): CheckpointStore {
  const { name, keep: storeKeep = 2 } = parseOptions(schema, options, 'indexedDbStore');
  const location = `indexeddb:dgm-run:${name}`;
  let database: Promise<IDBPDatabase> | undefined;
  // A failed open is not kept, so that a later call tries again.
  const open = () => (database ??= openRunDatabase(`dgm-run:${name}`, location).catch((error: unknown) => ((database = undefined), Promise.reject(error))));
  const failed = (what: string, error: unknown) =>
    CheckpointError.isInstance(error) ? error : new CheckpointError(`indexedDbStore: cannot ${what} ${location}: ${(error as Error).message}`, { cause: error });
  return {
    location,
    prepare: async () => void (await open()),
    async write(checkpoint: Checkpoint, { keep = storeKeep } = {}) {
      try {
        const transaction = (await open()).transaction(table, 'readwrite');
        await transaction.store.put(checkpoint, checkpoint.step);
        const steps = (await transaction.store.getAllKeys()) as number[];
        for (const step of steps.slice(0, Math.max(0, steps.length - keep))) await transaction.store.delete(step);
        await transaction.done;
      } catch (error) {
        throw failed('write a checkpoint to', error);
      }
      return `${location}/step-${checkpoint.step}`;
    },
    async latest() {
      try {
        const cursor = await (await open()).transaction(table).store.openCursor(null, 'prev');
        return cursor === null ? undefined : { checkpoint: cursor.value as Checkpoint, where: `${location}/step-${String(cursor.key)}` };
      } catch (error) {
        throw failed('read', error);
      }
    },
    async clear() {
      try {
        await (await open()).clear(table);
      } catch (error) {
        throw failed('clear', error);
      }
    },
  };
}

async function openRunDatabase(database: string, location: string): Promise<IDBPDatabase> {
  if (typeof indexedDB === 'undefined') throw new CheckpointError(`indexedDbStore: no IndexedDB here for ${location} (a browser page has one; in Node, install one such as fake-indexeddb)`);
  return openDB(database, 1, { upgrade: (db) => void db.createObjectStore(table) });
}
