import { drawReport, notLosses, palette } from './report-page.js';
import type { RunReport } from './run-report.js';

export interface RenderReportOptions {
  readonly report: RunReport;
  /** uPlot's IIFE build (`uplot/dist/uPlot.iife.min.js`) and stylesheet, inlined so that the file needs no network. */
  readonly chart: { readonly script: string; readonly style: string };
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON that is safe inside a <script> element. */
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
/** A table of text cells (escaped), or of markup the caller built (`{ html }`). */
export const table = (rows: readonly (readonly (string | { readonly html: string })[])[], head?: readonly string[]) =>
  `<table>${head === undefined ? '' : `<tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`}${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${typeof cell === 'string' ? escapeHtml(cell) : cell.html}</td>`).join('')}</tr>`)
    .join('')}</table>`;
export const round = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(4));

/** The reports' own styles (beside uPlot's). */
export const reportStyle = `body { font: 14px/1.4 system-ui, sans-serif; margin: 20px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; } td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
pre { background: #f6f6f6; padding: 8px; overflow: auto; max-height: 400px; }
.grid img { image-rendering: pixelated; width: min(512px, 90vw); border: 1px solid #ddd; display: block; }
.grid input { width: min(512px, 90vw); }
#metric-charts { display: flex; flex-wrap: wrap; gap: 0 20px; max-width: 900px; }
`;

/** One self-contained HTML file of a run: summary, curves, grids over time, evaluations, checkpoints, config and environment. */
export function renderReport({ report, chart }: RenderReportOptions): string {
  const { run, timings } = report;
  const config = run?.config ?? {};
  const summary: string[][] = [
    ['model', String(config['model'] ?? '?')],
    ['data', String(config['data'] ?? '?')],
    ['status', run === undefined ? 'no run.json' : `${run.status}${run.result === undefined ? '' : ` at step ${run.result.step} (${run.result.stoppedBy}, ${(run.result.seconds / 60).toFixed(1)} min)`}`],
    ['started', run?.startedAt ?? '?'],
    ['steps logged', String(report.log.step.length)],
  ];
  if (run?.result?.error !== undefined) summary.push(['error', run.result.error]);
  if (timings !== undefined) summary.push(['ms per step (median)', timings.msPerStep.toFixed(1)], ['images per second (median)', timings.imagesPerSecond.toFixed(0)]);
  const evaluations = report.evaluations.flatMap((e) => e.results.map((r) => [e.at, String(e.step), e.generator, r.name, round(r.value), e.reference]));
  const checkpoints = report.checkpoints.map((c) => [String(c.step), c.folder, `${(c.bytes / 1e6).toFixed(2)} MB`, c.writtenAt]);
  const environment = Object.entries(run?.environment ?? {}).map(([k, v]) => [k, String(v)]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)} · dgm run report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${chart.style}
${reportStyle}</style></head><body>
<h1>${escapeHtml(report.title)}</h1>
<p>dgm run report, written ${escapeHtml(report.writtenAt)}</p>
${table(summary)}
<h2>Curves</h2>
<div id="loss-chart"></div><div id="metric-charts"></div><div id="timing-chart"></div>
<h2>Samples over training</h2>
${gridSections(report)}
<h2>Evaluations</h2>
${evaluations.length === 0 ? '<p>none yet (dgm eval --run DIR)</p>' : table(evaluations, ['at', 'step', 'generator', 'metric', 'value', 'reference'])}
<h2>Checkpoints</h2>
${checkpoints.length === 0 ? '<p>none</p>' : table(checkpoints, ['step', 'folder', 'size', 'written'])}
<h2>Config</h2>
<pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre>
<h2>Recipe</h2>
<pre>${escapeHtml(JSON.stringify(run?.recipe ?? null, null, 2))}</pre>
<h2>Environment</h2>
${table(environment)}
<script>${chart.script}</script>
<script id="report-data" type="application/json">${scriptJson(report)}</script>
<script>(${drawReport.toString()})(JSON.parse(document.getElementById('report-data').textContent), uPlot, ${scriptJson(notLosses)}, ${scriptJson(palette)});</script>
</body></html>
`;
}

function gridSections(report: RunReport): string {
  const kinds = Object.entries(report.grids).filter(([, grids]) => grids.length > 0);
  if (kinds.length === 0) return '<p>no grids</p>';
  return kinds
    .map(
      ([kind, grids]) => `<div class="grid"><h3>${escapeHtml(kind)}: <span id="${escapeHtml(kind)}-step"></span></h3>
<img id="${escapeHtml(kind)}-image" alt="${escapeHtml(kind)} grid">
<input type="range" data-grid="${escapeHtml(kind)}" min="0" max="${grids.length - 1}" value="${grids.length - 1}" aria-label="${escapeHtml(kind)} step"></div>`,
    )
    .join('\n');
}
