// The browser-safe part of @dgm/sweep: sweep specs, their trials and the early-stopping rules.
export { parseSweepSpec, sweepSpecSchema } from './sweep-spec.js';
export type { EarlyStopping, SweepSpec, SweepSpecInput } from './sweep-spec.js';
export { expandTrials, withSettings } from './expand-trials.js';
export type { Trial } from './expand-trials.js';
export { shouldStop } from './early-stopping.js';
export type { StoppingInput } from './early-stopping.js';
