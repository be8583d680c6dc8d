export { enableFastKernels, disableFastKernels, fastKernelsStatus } from './enable-fast-kernels.js';
export type { EnableFastKernelsOptions, FastKernelBackend, FastKernelsStatus } from './enable-fast-kernels.js';
export { Float64Linalg } from './float64-linalg.js';
export type { Tridiagonal } from './float64-linalg.js';
