export {
  DgmError,
  InvalidArgumentError,
  ShapeMismatchError,
  DatasetFormatError,
  DownloadError,
  CheckpointError,
  TrainingError,
  BackendError,
  NumericalError,
} from './errors.js';
export { createRandom, Random } from './random.js';
export type { RandomState, CreateRandomOptions } from './random.js';
export { initBackend, currentBackend } from './backend.js';
export type {
  BackendChoice,
  BackendName,
  BackendPackage,
  BackendAttempt,
  InitBackendOptions,
  InitBackendResult,
} from './backend.js';
export { assertSingleTfjsCore } from './single-tfjs-core.js';
export { registerMissingGradients } from './missing-gradients.js';
export type { AssertSingleTfjsCoreOptions } from './single-tfjs-core.js';
export type { ImageShape, Batch, Logs, OnProgress, Progress } from './types.js';
export { nodeProcess, importNodeBuiltin } from './node-builtins.js';
export type { NodeProcess } from './node-builtins.js';
export { parseOptions, describeValue, isPlainObject } from './parse-options.js';
export { ADAM_UPDATE_KERNEL } from './adam-update-kernel.js';
export type { AdamUpdateAttrs } from './adam-update-kernel.js';
