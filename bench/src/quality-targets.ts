// bench/quality's targets, judged from the parts' results.
import { meanStd, type ResultRow } from '@example/generative-classification';
import type { PartResult } from './quality.js';
import { fixed, markdownTable } from './report.js';

interface Target {
  readonly name: string;
  readonly goal: string;
  /** The reached value in words and whether it meets the goal; undefined when its part has not run. */
  readonly judge: (parts: Record<string, PartResult>) => { reached: string; met: boolean } | undefined;
}

const pct = (v: number) => `${fixed(100 * v, 2)}%`;
const rowsOf = (part: PartResult | undefined) => part?.report?.rows;
const mean = (rows: readonly ResultRow[]) => meanStd(rows.map((r) => r.value)).mean;
const std = (rows: readonly ResultRow[]) => meanStd(rows.map((r) => r.value)).std;

function ganTest(family: string): Target {
  return {
    name: `GAN-test (mnist-cnn) of ${family} on MNIST, ≤ 20 min of training`,
    goal: '≥ 97%',
    judge: (parts) => {
      const row = rowsOf(parts['conditional'])?.find((r) => r.model === family && r.metric === 'GAN-test');
      return row && { reached: `${pct(row.value)} (${row.steps} steps, ${fixed(row.minutes, 1)} min)`, met: row.value >= 0.97 };
    },
  };
}

function bestCas(part: string, dataset: string, goal: number): Target {
  return {
    name: `CAS on ${dataset} (best conditional model)`,
    goal: `≥ ${100 * goal}%`,
    judge: (parts) => {
      const rows = rowsOf(parts[part]);
      const cas = rows?.filter((r) => r.metric === 'CAS').sort((a, b) => b.value - a.value);
      const real = rows?.find((r) => r.model === 'real data');
      if (cas === undefined || cas.length === 0) return undefined;
      const beside = [...cas.slice(1).map((r) => `${r.model} ${pct(r.value)}`), `real data ${real === undefined ? '–' : pct(real.value)}`];
      return { reached: `${cas[0]!.model} ${pct(cas[0]!.value)} (${beside.join(', ')})`, met: cas[0]!.value >= goal };
    },
  };
}

const targets: readonly Target[] = [
  {
    name: 'Semi-supervised GAN, MNIST, 100 labels: test error of the averaged D, ≤ 30 min',
    goal: '≤ 2.0% (stretch ≤ 1.2%)',
    judge: (parts) => {
      const rows = rowsOf(parts['ssgan']);
      const averaged = rows?.find((r) => r.model.endsWith('D (averaged)'));
      const latest = rows?.find((r) => r.model.endsWith(' D'));
      const alone = rows?.find((r) => r.model === 'classifier on the labels alone');
      return averaged && { reached: `${pct(1 - averaged.value)} (latest D ${latest ? pct(1 - latest.value) : '–'}; the labels alone ${alone ? pct(1 - alone.value) : '–'}; ${averaged.steps} steps)`, met: 1 - averaged.value <= 0.02 };
    },
  },
  ganTest('cgan'),
  ganTest('acgan'),
  bestCas('conditional', 'MNIST', 0.95),
  bestCas('fashion', 'Fashion-MNIST', 0.8),
  {
    name: 'Augmentation at 10 labels per class: best generator vs real only',
    goal: 'better by > 2 std of the seeds',
    judge: (parts) => {
      const rows = rowsOf(parts['augmentation'])?.filter((r) => r.experiment === 'augmentation' && r.labelsPerClass === 10);
      const real = rows?.filter((r) => r.model === 'real only');
      if (rows === undefined || real === undefined || real.length === 0) return undefined;
      const models = [...new Set(rows.map((r) => r.model).filter((m) => m !== 'real only'))].map((m) => rows.filter((r) => r.model === m));
      const best = models.sort((a, b) => mean(b) - mean(a))[0];
      if (best === undefined) return undefined;
      const spread = Math.max(std(best), std(real));
      return { reached: `${best[0]!.model} ${pct(mean(best))} ± ${pct(std(best))} vs ${pct(mean(real))} ± ${pct(std(real))}`, met: mean(best) - mean(real) > 2 * spread };
    },
  },
  {
    name: 'DCGAN on MNIST: FID-cnn within 30 min (wasm + @dgm/kernels)',
    goal: '≤ 3.0',
    judge: (parts) => {
      const points = parts['dcgan']?.dcgan?.points.filter((p) => p.minutes <= 30);
      const best = points?.sort((a, b) => a.fid - b.fid)[0];
      return best && { reached: `${fixed(best.fid, 2)} at ${best.minutes} min (${best.step} steps)`, met: best.fid <= 3 };
    },
  },
];

/** The targets table: goal, reached value and verdict of each, '–' for parts not run. */
export function qualityTargets(parts: Record<string, PartResult>): string {
  return markdownTable(
    ['target', 'goal', 'reached', 'met'],
    targets.map((t) => {
      const judged = t.judge(parts);
      return [t.name, t.goal, judged?.reached ?? 'not run', judged === undefined ? '–' : judged.met ? 'yes' : 'no'];
    }),
  );
}
