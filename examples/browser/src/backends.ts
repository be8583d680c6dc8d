import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@dgm/core';
import { disableFastKernels, enableFastKernels } from '@dgm/kernels';

/** The backends the page offers; webgpu only where the browser has `navigator.gpu`. */
export const pageBackends = ['webgl', 'wasm', 'cpu', 'webgpu'] as const;
export type PageBackend = (typeof pageBackends)[number];

// Static imports for the bundler: each backend is its own chunk, loaded when chosen.
const loaders = {
  '@tensorflow/tfjs-backend-webgl': () => import('@tensorflow/tfjs-backend-webgl'),
  '@tensorflow/tfjs-backend-webgpu': () => import('@tensorflow/tfjs-backend-webgpu'),
  // tfjs-wasm's threaded build sends its factory to workers as source text, which a bundle's
  // renamed helpers break (tensorflow/tfjs#4107): its single-threaded SIMD build runs here, and
  // @dgm/kernels bring the threads.
  '@tensorflow/tfjs-backend-wasm': async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return wasm;
  },
  '@tensorflow/tfjs-backend-cpu': () => import('@tensorflow/tfjs-backend-cpu'),
};

export function hasWebGpu(): boolean {
  return 'gpu' in navigator;
}

export interface BackendSettings {
  /** @dgm/kernels' training kernels on wasm and cpu. Default true. */
  readonly fastKernels?: boolean;
  /** Their threads: default one per core in a cross-origin-isolated page, else 1. */
  readonly threads?: number;
}

/** Makes `backend` the active one, with @dgm/kernels on wasm and cpu unless told otherwise; says what runs. */
export async function useBackend(backend: PageBackend, { fastKernels = true, threads }: BackendSettings = {}): Promise<{ backend: string; reason: string }> {
  const { package: pkg } = await initBackend({ backend, loaders, fastKernels: false, wasmPaths: new URL('tfjs-wasm/', document.baseURI).href });
  disableFastKernels();
  if (!fastKernels || (backend !== 'wasm' && backend !== 'cpu')) return { backend, reason: `${pkg}${backend === 'webgl' || backend === 'webgpu' ? '' : ', @dgm/kernels off'}` };
  const status = await enableFastKernels({ backends: [backend], ...(threads === undefined ? {} : { threads }) });
  return { backend, reason: `${pkg}, @dgm/kernels on ${status.threads} thread${status.threads === 1 ? '' : 's'}` };
}
