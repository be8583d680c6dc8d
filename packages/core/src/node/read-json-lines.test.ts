import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readJsonLines } from './read-json-lines.js';

it('reads the records of a JSON Lines file, skipping a torn line, and none of a missing file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dgm-jsonl-'));
  writeFileSync(join(dir, 'log.jsonl'), '{"step":1}\n\n{"step":2,"x":0.5}\n{"step":3,"x');
  expect(await readJsonLines(join(dir, 'log.jsonl'))).toEqual([{ step: 1 }, { step: 2, x: 0.5 }]);
  expect(await readJsonLines(join(dir, 'missing.jsonl'))).toEqual([]);
});
