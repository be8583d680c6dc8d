import type { TensorInfo } from '@tensorflow/tfjs-core';

/** Activation codes of `assembly/epilogue.ts`; others (prelu) fall back to the stock kernel. */
const activationCodes: Readonly<Record<string, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  leakyrelu: 3,
  elu: 4,
  sigmoid: 5,
};

export interface Epilogue {
  readonly code: number;
  readonly alpha: number;
  readonly bias: TensorInfo | undefined;
}

/**
 * The bias and activation of a fused kernel, or undefined when the kernels module cannot
 * apply them (prelu, or a bias that is not one value per output channel).
 */
export function epilogue(
  channels: number,
  bias: TensorInfo | undefined,
  activation: string | undefined,
  leakyreluAlpha: number | undefined,
): Epilogue | undefined {
  const code = activationCodes[activation ?? 'linear'];
  if (code === undefined) return undefined;
  if (bias !== undefined && (bias.dtype !== 'float32' || bias.shape.reduce((a, b) => a * b, 1) !== channels || bias.shape.at(-1) !== channels)) {
    return undefined;
  }
  return { code, alpha: leakyreluAlpha ?? 0.2, bias };
}
