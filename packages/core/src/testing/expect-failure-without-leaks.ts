import * as tf from '@tensorflow/tfjs-core';

/** An error class of @dgm/core (`InvalidArgumentError`, `CheckpointError`, …): its `isInstance` works across copies. */
export interface ErrorClass {
  readonly errorName: string;
  isInstance(error: unknown): boolean;
}

export interface ExpectedFailure {
  /** The class the error must be (or extend). */
  readonly error: ErrorClass;
  /** A fragment of its message (a string it contains, or a pattern it matches). */
  readonly message: string | RegExp;
}

/**
 * Asserts that `fn` fails (throws, or returns a promise that rejects) with an error of the
 * expected class whose message holds the fragment, and that it leaves no tensor behind: the
 * number of live tensors is the same afterwards. Resolves to the error.
 */
export async function expectFailureWithoutLeaks(fn: () => unknown, expected: ExpectedFailure): Promise<Error> {
  const before = tf.memory().numTensors;
  let failure: { error: unknown } | undefined;
  try {
    await fn();
  } catch (error) {
    failure = { error };
  }
  const leaked = tf.memory().numTensors - before;
  if (failure === undefined) throw new Error(`expectFailureWithoutLeaks: expected a ${expected.error.errorName}, but the call succeeded`);
  const { error } = failure;
  const message = (error as { message?: unknown } | null)?.message;
  if (!expected.error.isInstance(error)) {
    throw new Error(`expectFailureWithoutLeaks: expected a ${expected.error.errorName}, got ${(error as Error | null)?.name ?? typeof error}: ${String(message ?? error)}`, { cause: error });
  }
  const text = String(message);
  const matches = typeof expected.message === 'string' ? text.includes(expected.message) : expected.message.test(text);
  if (!matches) throw new Error(`expectFailureWithoutLeaks: the ${expected.error.errorName}'s message ${JSON.stringify(text)} does not hold ${String(expected.message)}`, { cause: error });
  if (leaked !== 0) throw new Error(`expectFailureWithoutLeaks: the failing call left ${leaked} tensor(s) behind (${before} before, ${before + leaked} after): ${text}`, { cause: error });
  return error as Error;
}
