import type { EarlyStopping } from './sweep-spec.js';

export interface StoppingInput {
  readonly rule: EarlyStopping;
  readonly goal: 'minimize' | 'maximize';
  /** This trial's metric by step, so far. */
  readonly own: ReadonlyMap<number, number>;
  /** The other trials' metrics by step (trial id → step → value). */
  readonly others: ReadonlyMap<string, ReadonlyMap<number, number>>;
}

/**
 * Whether a trial should stop now, by its latest reported step: median stopping (its best so
 * far worse than the median of the others' best up to the same step, once `minTrials` others
 * reached it) or asynchronous successive halving (at the highest rung it has passed, outside
 * the best 1/eta of the trials with a value there).
 */
export function shouldStop({ rule, goal, own, others }: StoppingInput): boolean {
  const steps = [...own.keys()].sort((a, b) => a - b);
  const step = steps.at(-1);
  if (step === undefined) return false;
  const better = (a: number, b: number) => (goal === 'minimize' ? a < b : a > b);
  const bestUpTo = (metric: ReadonlyMap<number, number>, last: number) => {
    const values = [...metric].filter(([s]) => s <= last).map(([, v]) => v);
    return values.length === 0 ? undefined : values.reduce((a, b) => (better(a, b) ? a : b));
  };
  if (rule.rule === 'median') {
    if (step < rule.minSteps) return false;
    // Others that have reached this step, by their best up to it.
    const peers = [...others.values()].filter((m) => [...m.keys()].some((s) => s >= step)).map((m) => bestUpTo(m, step)!);
    if (peers.length < rule.minTrials) return false;
    const sorted = peers.sort((a, b) => a - b);
    const median = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    return better(median, bestUpTo(own, step)!);
  }
  // The highest rung this trial has a value at (its log is read now and then, so it may be past it).
  const rung = [...rule.rungs].sort((a, b) => b - a).find((r) => own.has(r));
  if (rung === undefined) return false;
  const value = own.get(rung)!;
  const atRung = [value, ...[...others.values()].map((m) => m.get(rung)).filter((v): v is number => v !== undefined)];
  const kept = Math.max(1, Math.floor(atRung.length / rule.eta));
  // Too few trials at this rung to rank yet: go on.
  if (atRung.length < rule.eta) return false;
  const rank = atRung.filter((v) => better(v, value)).length;
  return rank >= kept;
}
