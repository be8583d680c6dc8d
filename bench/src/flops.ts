import type * as tf from '@tensorflow/tfjs-core';

type KernelProfile = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Floating-point operations of the convolution and matrix-product kernels of a profile
 * (2 per multiply–add), from their input and output shapes. Element-wise work is not counted.
 */
export function kernelFlops(name: string, inputShapes: readonly (readonly number[] | null)[], outputShapes: readonly (readonly number[])[]): number {
  const out = outputShapes[0] ?? [];
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D': {
      const [kh, kw, ci] = inputShapes[1]!; // filter
      return 2 * size(out) * kh! * kw! * ci!;
    }
    case 'Conv2DBackpropInput': {
      const [kh, kw, ci] = inputShapes[1]!; // dy, filter
      return 2 * size(inputShapes[0]!) * kh! * kw! * ci!;
    }
    case 'Conv2DBackpropFilter': {
      const [kh, kw, ci] = out; // x, dy → filter
      return 2 * size(inputShapes[1]!) * kh! * kw! * ci!;
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      const m = out.at(-2)!;
      const batch = size(out.slice(0, -2));
      const k = size(inputShapes[0]!) / Math.max(1, size(inputShapes[0]!.slice(0, -2))) / m;
      return 2 * batch * m * out.at(-1)! * k;
    }
    default:
      return 0;
  }
}

export function profileFlops(kernels: readonly KernelProfile[]): number {
  return kernels.reduce((sum, k) => sum + kernelFlops(k.name, k.inputShapes, k.outputShapes), 0);
}
