import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { FastKernelContext } from './fast-kernel.js';
import type { OpName } from './thread-pool.js';

/** Below this many elements an element-wise op stays on one thread (waking the others costs more). */
const PARALLEL_MIN_ELEMENTS = 1 << 18;

/** The work `runtime.run` is told of for a pass over `values` elements: shared across the threads only when large. */
export const passWork = (values: number): number => (values >= PARALLEL_MIN_ELEMENTS ? Infinity : 0);

/**
 * Runs an element-wise op of the kernels module on equal-shape float32 `inputs`: copies them
 * in, runs `op` over every element (its last two arguments are the element range, sliced
 * across threads), and returns new tensors of the inputs' shape holding its `outputs` new
 * regions (or the regions `returned` picks, for ops that work in place). Copying costs
 * ~0.1 ms per 800k values; the stock wasm kernels of these ops take 1–4 ms.
 */
export function elementwise(
  { runtime, io }: FastKernelContext,
  op: OpName,
  inputs: readonly TensorInfo[],
  outputs: number,
  args: (inputPointers: number[], outputPointers: number[]) => number[],
  returned = (_inputPointers: number[], outputPointers: number[]) => outputPointers,
): TensorInfo[] | undefined {
  const shape = inputs[0]!.shape;
  if (inputs.some((t) => t.dtype !== 'float32' || t.shape.join() !== shape.join())) return undefined;
  const n = shape.reduce((a, b) => a * b, 1);
  const pointers = runtime.allocate([...inputs.map(() => n), ...Array<number>(outputs).fill(n)]);
  if (pointers === undefined) return undefined;
  inputs.forEach((t, i) => io.copyIn(t, runtime.view(pointers[i]!, n)));
  const [ins, outs] = [pointers.slice(0, inputs.length), pointers.slice(inputs.length)];
  const list = [...args(ins, outs), 0, n];
  runtime.run(op, list, { at: list.length - 2, total: n, align: 4 }, passWork(n));
  return returned(ins, outs).map((p) => io.output([...shape], runtime.view(p, n)));
}
