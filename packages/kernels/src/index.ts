export { enableFastKernels, disableFastKernels, fastKernelsStatus } from './enable-fast-kernels.js';
export type { EnableFastKernelsOptions, FastKernelBackend, FastKernelsStatus } from './enable-fast-kernels.js';
