import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/** Moves float32 tensor data between a tfjs backend and the kernels' memory, copying once each way. */
export interface TensorIO {
  copyIn(info: TensorInfo, dst: Float32Array): void;
  /** A new float32 tensor holding a copy of `values`. */
  output(shape: number[], values: Float32Array): TensorInfo;
}

interface WasmBackend extends KernelBackend {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

export function tensorIO(backend: KernelBackend): TensorIO {
  if ('typedArrayFromHeap' in backend && 'makeOutput' in backend) {
    const wasm = backend as WasmBackend;
    return {
      copyIn: (info, dst) => dst.set(wasm.typedArrayFromHeap(info)),
      output: (shape, values) => {
        const out = wasm.makeOutput(shape, 'float32');
        wasm.typedArrayFromHeap(out).set(values);
        return out;
      },
    };
  }
  return {
    // The cpu backend returns its own array from readSync (no copy) and keeps the array it is given.
    copyIn: (info, dst) => dst.set(backend.readSync(info.dataId) as Float32Array),
    output: (shape, values) => ({ dataId: backend.write(values.slice(), shape, 'float32'), shape, dtype: 'float32' }),
  };
}
