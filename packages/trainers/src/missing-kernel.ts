import { BackendError } from '@dgm/core';

/** tfjs-core's engine, when no kernel is registered for an op on the active backend. */
const missingKernel = /Kernel '([^']+)' not registered for backend '([^']+)'/;

/** Backends that @dgm/kernels adds training kernels to. */
const fastKernelBackends: ReadonlySet<string> = new Set(['wasm', 'cpu']);

/**
 * A typed error for tfjs's "Kernel 'X' not registered for backend 'Y'" (found in `error` or
 * its causes), saying what is missing and how to get it: enable @dgm/kernels, or use another
 * backend. Undefined for every other error (and for one that is already a BackendError), so
 * that a trainer can `throw missingKernelError(error, caller) ?? error`.
 */
export function missingKernelError(error: unknown, caller: string): BackendError | undefined {
  if (BackendError.isInstance(error)) return undefined;
  const found = findMessage(error);
  if (found === undefined) return undefined;
  const [, kernel, backend] = found;
  const fixes = [
    ...(fastKernelBackends.has(backend!)
      ? ["enable @dgm/kernels, which adds the training kernels (convolution gradients among them) to tfjs's wasm and cpu backends: install it; initBackend({ fastKernels: true }) is then the default"]
      : []),
    backend === 'cpu' ? "use another backend: initBackend({ backend: 'tensorflow' }) with @tensorflow/tfjs-node" : "use another backend: initBackend({ backend: 'cpu' })",
  ];
  return new BackendError(`${caller}: the ${backend} backend has no ${kernel} kernel, which training needs; ${fixes.join(', or ')}`, { cause: error });
}

/** The match in the message of `error` or of its causes (a few levels down). */
function findMessage(error: unknown): RegExpExecArray | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const message = current instanceof Error ? current.message : typeof current === 'string' ? current : undefined;
    const match = message === undefined ? null : missingKernel.exec(message);
    if (match !== null) return match;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
