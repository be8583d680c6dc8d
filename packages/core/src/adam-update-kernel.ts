/**
 * One Adam step of a variable as a single kernel, which @dgm/kernels registers for the wasm
 * and cpu backends (optimizers use it where the active backend has it): inputs
 * `{ variable, m, v, gradient }`, outputs `[variable, m, v]` with, in float32 as the
 * element-wise ops compute it,
 *
 *   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  variable ← variable − rate·m / (√v + ε)
 */
export const ADAM_UPDATE_KERNEL = 'DgmAdamUpdate';

export interface AdamUpdateAttrs {
  readonly beta1: number;
  readonly beta2: number;
  /** The learning rate with the bias corrections folded in. */
  readonly rate: number;
  readonly epsilon: number;
}
