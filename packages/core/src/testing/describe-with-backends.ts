import { beforeAll, describe } from 'vitest';
import { initBackend, type BackendName, type InitBackendOptions } from '../backend.js';
import { InvalidArgumentError } from '../errors.js';

export interface BackendSuiteContext {
  readonly backend: BackendName;
}

export interface DescribeWithBackendsOptions {
  /** Backends to run on. Default: `DGM_TEST_BACKENDS` (comma-separated) if set, else cpu and wasm. */
  readonly backends?: readonly BackendName[];
  /** Passed to `initBackend`, e.g. `loaders: { '@dgm/kernels': () => import('@dgm/kernels') }`. */
  readonly init?: Omit<InitBackendOptions, 'backend'>;
}

const known: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * Declares the suite once per backend (like tfjs's `describeWithFlags`): each copy
 * switches to its backend before its tests and fails, not skips, if it cannot.
 */
export function describeWithBackends(
  name: string,
  suite: (context: BackendSuiteContext) => void,
  options: DescribeWithBackendsOptions = {},
): void {
  for (const backend of options.backends ?? backendsFromEnv()) {
    describe(`${name} [${backend}]`, () => {
      beforeAll(async () => {
        await initBackend({ ...options.init, backend });
      });
      suite({ backend });
    });
  }
}

function backendsFromEnv(): readonly BackendName[] {
  const value = typeof process === 'undefined' ? undefined : process.env['DGM_TEST_BACKENDS'];
  if (value === undefined || value.trim() === '') return ['cpu', 'wasm'];
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !known.includes(n as BackendName));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`DGM_TEST_BACKENDS: unknown backend(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
  return names as BackendName[];
}
