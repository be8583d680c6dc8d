export { runExperiments } from './run-experiments.js';
export { parseOptions, usage, experimentNames, generatorNames } from './options.js';
export type { ExperimentOptions, ExperimentName, GeneratorName, LabelsPerClass } from './options.js';
export { reportMarkdown, writeReport } from './report.js';
export type { Report } from './report.js';
export { meanStd } from './results.js';
export type { ResultRow } from './results.js';
