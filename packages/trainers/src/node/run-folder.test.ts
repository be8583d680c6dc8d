import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareRunFolder, writeCheckpointFolder } from './checkpoint-folder.js';
import { fileSystemStore } from './file-system-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dgm-run-folder-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The error `run` throws or rejects with. */
async function failure(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

/** A file-system error as Node makes them (code, syscall, path). */
const fsError = (code: string, path: string) => Object.assign(new Error(`${code}: simulated, write '${path}'`), { code, syscall: 'write', path });

describe('run folders: checked at start, faults typed, leftovers removed', () => {
  it('refuses bad run folders with typed errors before the first step (bad input → class, message)', async () => {
    await writeFile(join(dir, 'a-file'), 'x');
    await symlink('/proc/self', join(dir, 'to-proc'));
    const cases: [() => unknown, { isInstance(e: unknown): boolean }, string][] = [
      [() => fileSystemStore({ runDir: '' }), InvalidArgumentError, 'fileSystemStore: runDir: expected a folder path (an empty one would write to ./checkpoints), got string ""'],
      [() => fileSystemStore({ runDir: 3 as never }), InvalidArgumentError, 'runDir: expected string, got number 3'],
      [() => fileSystemStore({ runDir: dir, keep: 0 }), InvalidArgumentError, 'fileSystemStore: keep: expected ≥ 1, got number 0'],
      [() => fileSystemStore({ runDir: dir, kep: 3 } as never), InvalidArgumentError, 'fileSystemStore: unknown option "kep"'],
      [() => fileSystemStore({ runDir: '/proc/dgm-run' }), CheckpointError, 'runDir /proc/dgm-run is under /proc, a virtual file system'],
      [() => fileSystemStore({ runDir: join(dir, 'to-proc', 'run') }).prepare!(), CheckpointError, 'a virtual file system: give a folder on a disk'],
      [() => fileSystemStore({ runDir: join(dir, 'a-file', 'run') }).prepare!(), CheckpointError, 'a part of the path is a file, not a folder (ENOTDIR)'],
      [() => fileSystemStore({ runDir: join(dir, 'a-file') }).prepare!(), CheckpointError, `cannot write checkpoints to ${join(dir, 'a-file', 'checkpoints')}`],
    ];
    for (const [run, type, message] of cases) {
      const error = await failure(run);
      expect(type.isInstance(error), String(error)).toBe(true);
      expect(error.message).toContain(message);
    }
    const notDir = await failure(() => fileSystemStore({ runDir: join(dir, 'a-file', 'run') }).prepare!());
    expect((notDir.cause as { code?: string }).code).toBe('ENOTDIR');
  });

  it('prepare() creates the folder, leaves no probe, and removes what a killed write left (.tmp folders, latest.json .part files)', async () => {
    const runDir = join(dir, 'run');
    const root = join(runDir, 'checkpoints');
    await mkdir(join(root, '.step-0000004-1234-1700000000000.tmp', 'generator'), { recursive: true });
    await writeFile(join(root, '.step-0000004-1234-1700000000000.tmp', 'generator', 'weights.bin'), 'partial');
    await writeFile(join(root, 'latest.json.1234-deadbeef.part'), '{"checkpoint":"step-00');
    await mkdir(join(root, 'step-0000002'));
    await writeFile(join(root, 'latest.json'), JSON.stringify({ checkpoint: 'step-0000002' }));
    await fileSystemStore({ runDir }).prepare!();
    expect((await readdir(root)).sort()).toEqual(['latest.json', 'step-0000002']);
    const fresh = join(dir, 'fresh', 'run');
    await prepareRunFolder(fresh, 'trainGan');
    expect(await readdir(join(fresh, 'checkpoints'))).toEqual([]);
  });

  it('a failed write (a full disk, a read-only folder) is a CheckpointError with the cause and the path, and removes its .tmp folder', async () => {
    const runDir = join(dir, 'run');
    await writeCheckpointFolder(runDir, 1, async (d) => writeFile(join(d, 'state.json'), '{}'));
    for (const code of ['ENOSPC', 'EROFS', 'EACCES', 'EPERM']) {
      const error = await failure(() =>
        writeCheckpointFolder(runDir, 2, async (d) => {
          await writeFile(join(d, 'part.bin'), 'some of it');
          throw fsError(code, join(d, 'part.bin'));
        }),
      );
      expect(CheckpointError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toContain(`cannot write checkpoint step-0000002 to ${join(runDir, 'checkpoints')}`);
      expect(error.message).toContain(`(${code})`);
      expect((error.cause as { code: string }).code).toBe(code);
      // The partial folder is gone; the previous checkpoint is still the latest.
      expect((await readdir(join(runDir, 'checkpoints'))).sort()).toEqual(['latest.json', 'step-0000001']);
    }
    const full = await failure(() => writeCheckpointFolder(runDir, 2, async () => Promise.reject(fsError('ENOSPC', runDir))));
    expect(full.message).toMatch(/no space left on the device \(ENOSPC\)/);
    // A file where the checkpoints folder should be.
    await writeFile(join(dir, 'blocked'), 'x');
    const blocked = await failure(() => writeCheckpointFolder(join(dir, 'blocked'), 1, async () => undefined));
    expect(CheckpointError.isInstance(blocked)).toBe(true);
    expect(blocked.message).toContain('(ENOTDIR)');
  });

  it("latest() reads an unreadable run folder as an error, not as 'no checkpoint'", async () => {
    const runDir = join(dir, 'run');
    expect(await fileSystemStore({ runDir }).latest()).toBeUndefined();
    await mkdir(join(runDir, 'checkpoints'), { recursive: true });
    await writeFile(join(runDir, 'checkpoints', 'latest.json'), '{"checkpoint":');
    const error = await failure(() => fileSystemStore({ runDir }).latest());
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect(error.message).toContain('cannot read');
  });
});
