import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExperimentName, ExperimentOptions } from './options.js';
import { meanStd, type ResultRow } from './results.js';

export interface Report {
  readonly dataset: string;
  readonly started: string;
  /** Wall-clock minutes of the whole run so far. */
  readonly minutes: number;
  /** Backend, processor, versions. */
  readonly environment: Readonly<Record<string, string | number>>;
  readonly options: ExperimentOptions;
  /** How every classifier trains. */
  readonly protocol: string;
  readonly rows: readonly ResultRow[];
}

const sections: Record<ExperimentName, { title: string; text: string; error?: boolean }> = {
  ssgan: {
    title: 'Semi-supervised classification',
    text: 'The semi-supervised GAN (Salimans et al. 2016; K + 1 classes, feature matching) trained on every training image, of which the labeled ones carry their class; its D as a classifier of the real test set (the softmax of its K class logits), the latest weights and their average (decay 0.999), beside the protocol’s classifier trained on the labeled images alone.',
    error: true,
  },
  augmentation: {
    title: 'Generative augmentation',
    text: 'The protocol’s classifier trained on the labeled real images alone, and on them mixed (class-balanced, real images at least half of the mix, repeated where few) with labeled samples of a conditional model trained on the same images; accuracy on the real test set. Steps and minutes are the generative model’s training.',
  },
  discriminator: {
    title: 'The discriminator as a classifier',
    text: 'The AC-GAN’s auxiliary classifier (the softmax of its D’s class logits; latest weights and their average, decay 0.999), trained on the labeled images, on the real test set. The semi-supervised GAN’s D is in the first table.',
  },
  cas: {
    title: 'CAS and GAN-test',
    text: 'Each conditional model trained on the whole training set. CAS: the protocol’s classifier trained only on generated labeled images (as many as the real training set) and tested on the real test set. GAN-test: a classifier of real images (the shipped one for MNIST and Fashion-MNIST) on the generated images, the asked class as the label. Beside them: the same classifier trained on real data, and the GAN-test classifier on the real test set.',
  },
};

const pct = (v: number) => (100 * v).toFixed(2);

/** The report as Markdown: a table per experiment, rows grouped over seeds (mean ± std). */
export function reportMarkdown(report: Report): string {
  const { options } = report;
  const lines = [
    `# Generative models for classification: ${report.dataset}`,
    '',
    `Run of ${report.started}, ${report.minutes.toFixed(1)} min; ${Object.entries(report.environment).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    `Each generative model trained for up to ${options.minutes} min (the semi-supervised GAN ${options.ssganMinutes} min) or ${options.steps} steps; seeds ${options.seed}–${options.seed + options.seeds - 1}.`,
    `Every classifier: ${report.protocol}.`,
  ];
  for (const experiment of options.experiments) {
    const rows = report.rows.filter((r) => r.experiment === experiment);
    if (rows.length === 0) continue;
    const { title, text, error = false } = sections[experiment];
    lines.push('', `## ${title}`, '', text, '', tableOf(rows, error));
    for (const row of rows.filter((r) => r.history !== undefined && r.history.length > 0)) {
      const points = row.history!.map((h) => `${h.epoch}: ${pct(error ? 1 - h.value : h.value)} (${h.minutes.toFixed(1)} min)`);
      lines.push('', `${row.model}, seed ${row.seed}, ${error ? 'test error' : row.metric} % after each epoch: ${points.join(', ')}.`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function tableOf(rows: readonly ResultRow[], error: boolean): string {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const key = `${row.labelsPerClass}|${row.model}|${row.metric}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const value = (r: ResultRow) => (error ? 1 - r.value : r.value);
  const header = ['labels per class', 'model', 'metric', `${error ? 'test error' : 'value'} % (mean ± std)`, 'per seed %', 'worst class accuracy %', 'steps', 'training min'];
  const body = [...groups.values()].map((group) => {
    const { mean, std } = meanStd(group.map(value));
    const worst = Math.min(...group.flatMap((r) => r.perClass));
    const first = group[0]!;
    return [
      String(first.labelsPerClass),
      first.model,
      error ? 'test error' : first.metric,
      group.length > 1 ? `${pct(mean)} ± ${pct(std)}` : pct(mean),
      group.map((r) => pct(value(r))).join(', '),
      pct(worst),
      group.map((r) => r.steps).join(', '),
      group.map((r) => r.minutes.toFixed(1)).join(', '),
    ];
  });
  return [header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Writes results.md and results.json into `out`; returns their paths. */
export async function writeReport(report: Report, out: string): Promise<{ markdown: string; json: string }> {
  await mkdir(out, { recursive: true });
  const paths = { markdown: join(out, 'results.md'), json: join(out, 'results.json') };
  await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(paths.markdown, reportMarkdown(report));
  return paths;
}
