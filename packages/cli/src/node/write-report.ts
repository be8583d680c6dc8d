import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { writeAtomically } from '@dgm/core/node';
import { renderReport } from '../render-report.js';
import { readRunFolder } from './read-run-folder.js';

const require = createRequire(import.meta.url);

/** uPlot's browser build and stylesheet, read once from the installed package. */
let chart: Promise<{ script: string; style: string }> | undefined;
export const chartAssets = () =>
  (chart ??= Promise.all([readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'), readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')]).then(
    ([script, style]) => ({ script, style }),
  ));

/**
 * Writes a run's report: one self-contained HTML file (charts, grids and data inlined; opens
 * from disk with no server or network). Default `report.html` in the run folder; resolves to its path.
 */
export async function writeRunReport(options: { runDir: string; out?: string }): Promise<string> {
  const out = resolve(options.out ?? join(options.runDir, 'report.html'));
  const html = renderReport({ report: await readRunFolder(options.runDir), chart: await chartAssets() });
  await writeAtomically(out, html);
  return out;
}
