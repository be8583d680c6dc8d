import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { readJsonLines } from '@dgm/core/node';
import type { CheckpointEntry, Evaluation, GridImage, LogColumns, RunReport, Timings } from '../run-report.js';
import { readRunRecord } from './run-record.js';

/** Everything a report shows, read from a run folder (what `dgm train` and `dgm eval` write). */
export async function readRunFolder(runDir: string): Promise<RunReport> {
  const dir = resolve(runDir);
  const lines = await readJsonLines(join(dir, 'log.jsonl'));
  return {
    title: basename(dir),
    writtenAt: new Date().toISOString(),
    run: await readRunRecord(dir),
    log: logColumns(lines),
    evaluations: (await readJsonLines(join(dir, 'eval.jsonl'))) as unknown as Evaluation[],
    grids: await readGrids(join(dir, 'samples')),
    checkpoints: await readCheckpoints(join(dir, 'checkpoints')),
    timings: timingsOf(lines),
  };
}

function logColumns(lines: readonly Record<string, unknown>[]): LogColumns {
  const names = [...new Set(lines.flatMap((line) => Object.keys(line)))].filter((name) => name !== 'step');
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  return {
    step: lines.map((line) => Number(line['step'])),
    series: Object.fromEntries(names.map((name) => [name, lines.map((line) => number(line[name]))])),
  };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timingsOf(lines: readonly Record<string, unknown>[]): Timings | undefined {
  const column = (name: string) => lines.map((line) => line[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const [ms, ips] = [column('ms'), column('imagesPerSecond')];
  return ms.length === 0 ? undefined : { msPerStep: median(ms), imagesPerSecond: ips.length === 0 ? 0 : median(ips), steps: ms.length };
}

/** `step-0000100.png`, `final.png`, and a VAE's `reconstructions-…`/`samples-…` of each. */
const gridName = /^(?:([a-z]+)-)?(?:step-(\d+)|final)\.png$/;

async function readGrids(folder: string): Promise<Record<string, GridImage[]>> {
  const grids: Record<string, (GridImage & { order: number })[]> = {};
  for (const file of await listFolder(folder)) {
    const match = gridName.exec(file);
    if (match === null) continue;
    const [, kind = 'samples', step] = match;
    const bytes = await readFile(join(folder, file));
    const image = { step: step === undefined ? undefined : Number(step), file, dataUrl: `data:image/png;base64,${bytes.toString('base64')}` };
    (grids[kind] ??= []).push({ ...image, order: image.step ?? Infinity });
  }
  return Object.fromEntries(Object.entries(grids).map(([kind, list]) => [kind, list.sort((a, b) => a.order - b.order).map(({ order: _, ...image }) => image)]));
}

async function readCheckpoints(folder: string): Promise<CheckpointEntry[]> {
  const entries: CheckpointEntry[] = [];
  for (const name of await listFolder(folder)) {
    const match = /^step-(\d+)$/.exec(name);
    if (match === null) continue;
    const path = join(folder, name);
    const files = (await readdir(path, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    const sizes = await Promise.all(files.map(async (file) => (await stat(join(file.parentPath, file.name))).size));
    entries.push({ step: Number(match[1]), folder: path, bytes: sizes.reduce((a, b) => a + b, 0), writtenAt: (await stat(path)).mtime.toISOString() });
  }
  return entries.sort((a, b) => a.step - b.step);
}

async function listFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch {
    return [];
  }
}
