import { describe, expect, it } from 'vitest';
import { shouldStop } from './early-stopping.js';
import { expandTrials } from './expand-trials.js';
import { parseSweepSpec } from './sweep-spec.js';

const base = { name: 'lr', train: { model: 'dcgan', data: 'mnist', steps: 100, metricsEvery: 50 }, metric: { name: 'fid2k-mnist-cnn', goal: 'minimize' } };

describe('sweep specs and their trials', () => {
  it('a grid gives every combination in a fixed order, each trial its whole config', () => {
    const spec = parseSweepSpec({ ...base, space: { seed: { values: [0, 1] }, 'recipe.optimizers.generator.learningRate': { values: [1e-4, 2e-4, 4e-4] } } });
    const trials = expandTrials(spec);
    expect(trials.map((t) => t.id)).toEqual(['lr-t000', 'lr-t001', 'lr-t002', 'lr-t003', 'lr-t004', 'lr-t005']);
    expect(trials[4]!.params).toEqual({ seed: 1, 'recipe.optimizers.generator.learningRate': 2e-4 });
    expect(trials[4]!.config).toEqual({ ...base.train, seed: 1, recipe: { optimizers: { generator: { learningRate: 2e-4 } } } });
    expect(expandTrials({ ...spec, maxTrials: 4 }).map((t) => t.id)).toEqual(['lr-t000', 'lr-t001', 'lr-t002', 'lr-t003']);
  });

  it('random search draws seeded values in the ranges (log-uniform, integers)', () => {
    const spec = parseSweepSpec({ ...base, search: { kind: 'random', trials: 50, seed: 3 }, space: { 'recipe.optimizers.generator.learningRate': { min: 1e-5, max: 1e-2, log: true }, 'modelOptions.latentDim': { min: 16, max: 128, integer: true }, seed: { values: [0, 1, 2] } } });
    const trials = expandTrials(spec);
    expect(expandTrials(spec)).toEqual(trials);
    const rates = trials.map((t) => t.params['recipe.optimizers.generator.learningRate'] as number);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(1e-5);
    expect(Math.max(...rates)).toBeLessThanOrEqual(1e-2);
    // Log-uniform: about as many below 3e-4 (the geometric middle) as above.
    expect(rates.filter((r) => r < Math.sqrt(1e-5 * 1e-2)).length).toBeGreaterThan(15);
    expect(trials.every((t) => Number.isInteger(t.params['modelOptions.latentDim']) && (t.params['modelOptions.latentDim'] as number) >= 16)).toBe(true);
    expect(new Set(trials.map((t) => t.params['seed'])).size).toBe(3);
  });

  it('refuses specs that cannot work, naming the field', () => {
    expect(() => parseSweepSpec({ ...base, name: 'a b', space: {} })).toThrow(/^sweep: name: expected a name of letters/);
    expect(() => parseSweepSpec({ ...base, space: { seed: { min: 0, max: 5 } } })).toThrow(/space\.seed: a range needs search: \{ kind: random/);
    expect(() => parseSweepSpec({ ...base, search: { kind: 'random', trials: 2 }, space: { x: { min: 0, max: 1, log: true } } })).toThrow(/space\.x: a log range needs min > 0/);
    expect(() => parseSweepSpec({ ...base, train: { steps: 100 }, space: {} })).toThrow(/train\.metricsEvery: expected the steps between scorings/);
    expect(() => parseSweepSpec({ ...base, train: { steps: 90, metricsEvery: 50 }, space: {} })).toThrow(/train\.steps: expected a multiple of metricsEvery \(50\)/);
    expect(() => parseSweepSpec({ ...base, space: {}, earlyStopping: { rule: 'median' } })).toThrow(/earlyStopping\.minSteps/);
  });
});

describe('early stopping', () => {
  const metric = (entries: [number, number][]) => new Map(entries);
  const others = (...values: number[][]) => new Map(values.map((v, i) => [`t${i}`, metric(v.map((x, j) => [(j + 1) * 10, x]))]));

  it('median: stops a trial whose best so far is worse than the median of the others at the same step, once enough reached it', () => {
    const rule = { rule: 'median' as const, minSteps: 20, minTrials: 3 };
    const peers = others([9, 5], [8, 4], [7, 6]);
    expect(shouldStop({ rule, goal: 'minimize', own: metric([[10, 9], [20, 6]]), others: peers })).toBe(true); // 6 > median 5
    expect(shouldStop({ rule, goal: 'minimize', own: metric([[10, 9], [20, 4.5]]), others: peers })).toBe(false);
    expect(shouldStop({ rule, goal: 'minimize', own: metric([[10, 99]]), others: peers })).toBe(false); // before minSteps
    expect(shouldStop({ rule, goal: 'minimize', own: metric([[10, 9], [20, 6]]), others: others([9, 5], [8, 4]) })).toBe(false); // too few peers
    expect(shouldStop({ rule, goal: 'maximize', own: metric([[10, 9], [20, 6]]), others: peers })).toBe(false); // 9 ≥ median 7 when more is better
  });

  it('halving: at a rung, only the best 1/eta of the trials that reached it go on', () => {
    const rule = { rule: 'halving' as const, rungs: [10], eta: 2 };
    const peers = others([5], [3], [8]);
    expect(shouldStop({ rule, goal: 'minimize', own: metric([[10, 4]]), others: peers })).toBe(false); // 2nd of 4: kept
    expect(shouldStop({ rule, goal: 'minimize', own: metric([[10, 6]]), others: peers })).toBe(true); // 3rd of 4
    expect(shouldStop({ rule, goal: 'minimize', own: metric([[10, 6]]), others: new Map() })).toBe(false); // alone at the rung
    // Past the rung (the log is read now and then): judged at the rung.
    expect(shouldStop({ rule, goal: 'minimize', own: metric([[10, 6], [20, 1]]), others: peers })).toBe(true);
    expect(shouldStop({ rule, goal: 'minimize', own: metric([[5, 6]]), others: peers })).toBe(false); // before the rung
  });
});
