export { gemm, gemmWorkFloats, dgemm, dgemmWorkFloats, packB32, gemmPacked } from './gemm';
export { im2col, col2im } from './im2col';
export { biasActivation } from './epilogue';
export { choleskyPanel, householderStep } from './float64';
export { leakyRelu, leakyReluGrad, adamUpdate, columnSums, batchNorm, batchNormGrad } from './elementwise';
