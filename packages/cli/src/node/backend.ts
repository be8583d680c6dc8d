import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { initBackend, type BackendChoice, type InitBackendResult } from '@dgm/core';

const require = createRequire(import.meta.url);

/**
 * initBackend with this package's own wasm and cpu backends and @dgm/kernels, so that `dgm`
 * finds them from any folder; tfjs-node (optional, never a dependency) is looked up as usual.
 */
export function startBackend(backend: BackendChoice = 'auto'): Promise<InitBackendResult> {
  return initBackend({
    backend,
    loaders: {
      '@tensorflow/tfjs-backend-wasm': () => import('@tensorflow/tfjs-backend-wasm'),
      '@tensorflow/tfjs-backend-cpu': () => import('@tensorflow/tfjs-backend-cpu'),
      '@dgm/kernels': () => import('@dgm/kernels'),
    },
    wasmPaths: dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep,
  });
}
