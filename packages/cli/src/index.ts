// The browser-safe part of @dgm/cli: the run report's page, from a run's data.
export { renderReport } from './render-report.js';
export type { RenderReportOptions } from './render-report.js';
export { runRecordFormat } from './run-report.js';
export type { CheckpointEntry, Evaluation, GridImage, LogColumns, RunRecord, RunReport, Timings } from './run-report.js';
