export { gemm, gemmWorkFloats } from './gemm';
export { im2col, col2im } from './im2col';
export { biasActivation } from './epilogue';
