import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { TensorIO } from './tensor-io.js';
import type { WasmRuntime } from './wasm-runtime.js';

export interface FastKernelContext {
  readonly backend: KernelBackend;
  /**
   * Where a kernel's float32 rounding can follow its backend's stock kernel: the cpu
   * backend computes element-wise kernels in float64 and rounds once, wasm in float32.
   */
  readonly wide: boolean;
  readonly runtime: WasmRuntime;
  readonly io: TensorIO;
}

/** A replacement kernel; returning undefined hands the call to the stock kernel. */
export type FastKernel = (context: FastKernelContext, inputs: never, attrs: NamedAttrMap) => TensorInfo | TensorInfo[] | undefined;
