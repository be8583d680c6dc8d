import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { writeAtomically } from '@dgm/core/node';
import type { SweepStatus } from '@dgm/sweep/node';
import { escapeHtml, reportStyle, round, scriptJson, table } from '../render-report.js';
import { palette } from '../report-page.js';
import { chartAssets } from './write-report.js';

/**
 * Writes a sweep's report: one self-contained HTML file in the run report's look, a row a
 * trial (parameters, status, final metric, step, worker, attempts, time, error, a link to its
 * run report) and the metric over steps of every trial. Default RUNS/SWEEP/report.html.
 */
export async function writeSweepReport(options: { status: SweepStatus; runsDir: string; out?: string }): Promise<string> {
  const { status } = options;
  const out = resolve(options.out ?? join(options.runsDir, status.sweep, 'report.html'));
  const chart = await chartAssets();
  const paths = Object.keys(status.spec.space);
  const rows = status.trials.map((row) => {
    const runReport = join(resolve(options.runsDir), status.sweep, row.trial, 'report.html');
    const href = encodeURI(relative(dirname(out), runReport).split(sep).join('/'));
    const link = existsSync(runReport) ? { html: `<a href="${escapeHtml(href)}">report</a>` } : '';
    const r = row.result;
    return [row.trial, ...paths.map((p) => String(row.params[p])), row.status, r?.metric === undefined ? '' : round(r.metric), String(r?.step ?? row.metricOverSteps.at(-1)?.[0] ?? ''), r?.worker ?? row.running?.worker ?? '', String(r?.attempts ?? row.running?.attempt ?? ''), r === undefined ? '' : `${r.seconds.toFixed(0)} s`, r?.error ?? '', link];
  });
  const head = ['trial', ...paths, 'status', status.spec.metric.name, 'step', 'worker', 'attempts', 'time', 'error', 'run report'];
  const series = status.trials.filter((row) => row.metricOverSteps.length > 0).map((row) => ({ label: row.trial, points: row.metricOverSteps }));
  const summary = [
    ['state', `${status.state}${status.finished ? ', finished' : ''}`],
    ['trials', Object.entries(status.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ')],
    ['metric', `${status.spec.metric.name} (${status.spec.metric.goal})`],
    ['best', status.best === undefined ? 'none yet' : `${status.best.trial}: ${round(status.best.result!.metric!)} ${JSON.stringify(status.best.params)}`],
    ['early stopping', status.spec.earlyStopping === undefined ? 'off' : JSON.stringify(status.spec.earlyStopping)],
  ];
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(status.sweep)} · dgm sweep report</title>
<style>${chart.style}
${reportStyle}</style></head><body>
<h1>sweep ${escapeHtml(status.sweep)}</h1>
<p>dgm sweep report, written ${escapeHtml(new Date().toISOString())}</p>
${table(summary)}
<h2>${escapeHtml(status.spec.metric.name)} over steps</h2>
<div id="metric-chart"></div>
<h2>Trials</h2>
${table(rows, head)}
<h2>Spec</h2>
<pre>${escapeHtml(JSON.stringify(status.spec, null, 2))}</pre>
<script>${chart.script}</script>
<script>(${drawSweep.toString()})(${scriptJson(series)}, uPlot, ${scriptJson(palette)});</script>
</body></html>
`;
  await writeAtomically(out, html);
  return out;
}

/** The page's chart: every trial's metric over steps (runs in the page, from its source). */
function drawSweep(series: { label: string; points: [number, number][] }[], Plot: new (options: object, data: unknown, target: HTMLElement) => unknown, palette: readonly string[]): void {
  const element = document.getElementById('metric-chart')!;
  if (series.length === 0) return void (element.textContent = 'no metric reported yet');
  const steps = [...new Set(series.flatMap((s) => s.points.map(([step]) => step)))].sort((a, b) => a - b);
  const columns = series.map((s) => steps.map((step) => s.points.find(([at]) => at === step)?.[1] ?? null));
  const options = { width: Math.min(900, document.body.clientWidth - 40), height: 320, scales: { x: { time: false } }, series: [{ label: 'step' }, ...series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length], spanGaps: true }))] };
  new Plot(options, [steps, ...columns], element);
}
