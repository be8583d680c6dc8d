// Node-only parts of @dgm/trainers (file system, terminal), kept out of the main entry so that it loads in browsers.
export { fileSystemStore } from './file-system-store.js';
export type { FileSystemStoreOptions } from './file-system-store.js';
export { progressBar } from './progress-bar.js';
export type { ProgressBarOptions } from './progress-bar.js';
export { jsonlLog } from './jsonl-log.js';
export { sampleGrids } from './sample-grids.js';
export type { SampleGridsOptions } from './sample-grids.js';
export { vaeGrids } from './vae-grids.js';
export type { VaeGridsOptions } from './vae-grids.js';
export { loadRun } from './load-run.js';
export { taskProgress } from './task-progress.js';
export type { TaskProgressOptions } from './task-progress.js';
