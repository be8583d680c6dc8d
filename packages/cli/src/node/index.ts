// Node-only parts of @dgm/cli: the `dgm` program (its bin runs runDgm), run folders and reports.
export { runDgm, buildProgram } from './program.js';
export { processIo, type Io } from './io.js';
export { writeRunReport } from './write-report.js';
export { readRunFolder } from './read-run-folder.js';
export { readRunRecord } from './run-record.js';
export { trainConfigSchema, type TrainConfig } from './train-config.js';
