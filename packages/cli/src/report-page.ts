import type uPlot from 'uplot';
import type { RunReport } from './run-report.js';

/** Log columns that are not losses: shown on the timing chart, or not at all. */
export const notLosses = ['epoch', 'ms', 'imagesPerSecond', 'beta'];

/** The reports' line colors. */
export const palette = ['#c0392b', '#2471a3', '#1e8449', '#b9770e', '#7d3c98', '#117a65', '#616a6b', '#a04000'];

/**
 * The report's script, run in the page: the loss, metric and timing charts (uPlot, inlined
 * beside it) and a step slider for each kind of sample grid. Self-contained: the HTML holds it
 * as source (`drawReport.toString()`), so it may use nothing from outside but its arguments.
 */
export function drawReport(report: RunReport, Plot: typeof uPlot, skip: readonly string[], palette: readonly string[]): void {
  const width = () => Math.min(900, document.body.clientWidth - 40);
  // Metric charts (points) go two to a row: each holds one metric.
  const chart = (element: HTMLElement | null, title: string, x: number[], series: [string, (number | null)[]][], points: boolean) => {
    if (element === null || series.length === 0) return element?.remove();
    new Plot(
      {
        title,
        width: points ? Math.floor(width() / 2) - 10 : width(),
        height: points ? 200 : 280,
        scales: { x: { time: false } },
        series: [{ label: 'step' }, ...series.map(([label], i) => ({ label, stroke: palette[i % palette.length]!, spanGaps: true, points: { show: points } }))],
      },
      [x, ...series.map(([, values]) => values)] as uPlot.AlignedData,
      element,
    );
  };
  const { step, series } = report.log;
  const dense = Object.entries(series).filter(([, values]) => !values.includes(null));
  chart(document.getElementById('loss-chart'), 'losses', [...step], dense.filter(([name]) => !skip.includes(name)).map(([n, v]) => [n, [...v]]), false);
  chart(document.getElementById('timing-chart'), 'ms per step', [...step], dense.filter(([name]) => name === 'ms').map(([n, v]) => [n, [...v]]), false);

  // Metrics, one chart each (their scales differ): the sparse log columns (the metrics callback's) and dgm eval's results.
  const metricPoints = new Map<string, Map<number, number>>();
  const add = (name: string, at: number, value: number) => metricPoints.set(name, (metricPoints.get(name) ?? new Map()).set(at, value));
  for (const [name, values] of Object.entries(series).filter(([, v]) => v.includes(null))) values.forEach((v, i) => v !== null && add(name, step[i]!, v));
  for (const evaluation of report.evaluations) for (const r of evaluation.results) add(`${r.name} (eval)`, evaluation.step, r.value);
  const metricCharts = document.getElementById('metric-charts')!;
  for (const [name, points] of metricPoints) {
    const steps = [...points.keys()].sort((a, b) => a - b);
    chart(metricCharts.appendChild(document.createElement('div')), name, steps, [[name, steps.map((s) => points.get(s)!)]], true);
  }

  for (const slider of Array.from(document.querySelectorAll<HTMLInputElement>('input[data-grid]'))) {
    const grids = report.grids[slider.dataset['grid']!] ?? [];
    const image = document.getElementById(`${slider.dataset['grid']}-image`) as HTMLImageElement;
    const label = document.getElementById(`${slider.dataset['grid']}-step`)!;
    const show = () => {
      const grid = grids[Number(slider.value)]!;
      image.src = grid.dataUrl;
      label.textContent = grid.step === undefined ? `final (${grid.file})` : `step ${grid.step}`;
    };
    slider.addEventListener('input', show);
    show();
  }
}
