import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/** Moves float32 tensor data between a tfjs backend and the kernels' memory, copying once each way. */
export interface TensorIO {
  copyIn(info: TensorInfo, dst: Float32Array): void;
  /** A new float32 tensor holding a copy of `values`. */
  output(shape: number[], values: Float32Array): TensorInfo;
  /**
   * New float32 tensors of `shapes`, filled by `fill` from the values of `inputs`, all seen
   * in place (no copies): for element-wise kernels, where a copy would cost as much as the work.
   */
  compute(shapes: readonly number[][], inputs: readonly TensorInfo[], fill: (outputs: Float32Array[], inputs: Float32Array[]) => void): TensorInfo[];
}

interface WasmBackend extends KernelBackend {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

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
      compute: (shapes, inputs, fill) => {
        // Views only after every output is made: making one may grow (and detach) the heap.
        const outputs = shapes.map((shape) => wasm.makeOutput([...shape], 'float32'));
        fill(outputs.map((o) => wasm.typedArrayFromHeap(o)), inputs.map((i) => wasm.typedArrayFromHeap(i)));
        return outputs;
      },
    };
  }
  return {
    // The cpu backend returns its own array from readSync (no copy) and keeps the array it is given.
    copyIn: (info, dst) => dst.set(backend.readSync(info.dataId) as Float32Array),
    output: (shape, values) => ({ dataId: backend.write(values.slice(), shape, 'float32'), shape, dtype: 'float32' }),
    compute: (shapes, inputs, fill) => {
      const values = shapes.map((shape) => new Float32Array(sizeOf(shape)));
      fill(values, inputs.map((i) => backend.readSync(i.dataId) as Float32Array));
      return values.map((v, i) => ({ dataId: backend.write(v, [...shapes[i]!], 'float32'), shape: [...shapes[i]!], dtype: 'float32' }));
    },
  };
}
