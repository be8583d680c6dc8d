import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { RunContext } from '../callbacks.js';
import { jsonlLog } from './jsonl-log.js';

it('on resume keeps the lines up to the checkpoint and drops a line a killed process left half-written, not the whole log', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'dgm-jsonl-')), 'log.jsonl');
  writeFileSync(path, `${[1, 2, 3, 4].map((step) => JSON.stringify({ step, dLoss: 0.5 })).join('\n')}\n{"step":5,"dLo`);
  await jsonlLog({ path }).onTrainBegin!({ startStep: 3 } as RunContext);
  expect(readFileSync(path, 'utf8')).toBe(`${[1, 2, 3].map((step) => JSON.stringify({ step, dLoss: 0.5 })).join('\n')}\n`);
});
