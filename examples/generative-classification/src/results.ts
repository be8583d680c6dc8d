import type { ExperimentName, LabelsPerClass } from './options.js';

/** One measured number: what was scored, how, and how long its model trained. */
export interface ResultRow {
  readonly experiment: ExperimentName;
  /** What was scored, e.g. 'ssgan-mlp D (averaged)', 'real only', 'real + cgan', 'cgan'. */
  readonly model: string;
  readonly metric: 'test accuracy' | 'CAS' | 'GAN-test';
  readonly labelsPerClass: LabelsPerClass;
  readonly seed: number;
  /** A fraction in [0, 1]. */
  readonly value: number;
  readonly perClass: readonly number[];
  /** Training of the generative model behind the number (else of the classifier). */
  readonly steps: number;
  readonly minutes: number;
  /** The number as training went on (the semi-supervised GAN's averaged D after each epoch: epochs completed, 1, 2, …). */
  readonly history?: readonly { readonly epoch: number; readonly step: number; readonly minutes: number; readonly value: number }[];
}

/** Mean and sample standard deviation (0 for one value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.length < 2 ? 0 : values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/** The seeds of a run: seed, seed + 1, … */
export function seedsOf(options: { readonly seed: number; readonly seeds: number }): number[] {
  return Array.from({ length: options.seeds }, (_, i) => options.seed + i);
}
