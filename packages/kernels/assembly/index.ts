export { gemm, gemmWorkFloats, dgemm, dgemmWorkFloats } from './gemm';
export { im2col, col2im } from './im2col';
export { biasActivation } from './epilogue';
export { choleskyPanel, householderStep } from './float64';
