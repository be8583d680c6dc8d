import { ADAM_UPDATE_KERNEL, BackendError, InvalidArgumentError, registerMissingGradients } from '@dgm/core';
import {
  findBackendFactory,
  getGradient,
  getKernel,
  registerGradient,
  registerKernel,
  unregisterGradient,
  unregisterKernel,
  type GradConfig,
  type KernelBackend,
  type KernelConfig,
} from '@tensorflow/tfjs-core';
import { adamUpdate } from './adam-update.js';
import { BATCH_NORM_GRAD, batchNorm, batchNormGrad } from './batch-norm.js';
import { batchNormGradient } from './batch-norm-gradient.js';
import { conv2d } from './conv2d.js';
import { cpuBinary, cpuBinaryOps } from './cpu-binary.js';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './conv2d-backprop-input.js';
import type { FastKernel } from './fast-kernel.js';
import { sharedIdentity } from './identity.js';
import { LEAKY_RELU_GRAD, leakyRelu, leakyReluGrad, leakyReluGradGradient, leakyReluGradient } from './leaky-relu.js';
import { matMul } from './mat-mul.js';
import { reduce } from './reduce.js';
import { meanGradient, sumGradient } from './reduction-gradients.js';
import { cpuSelect } from './select.js';
import { tensorIO } from './tensor-io.js';
import { tile } from './tile.js';
import { tileGradient } from './tile-gradient.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';
import { defaultThreads, WasmRuntime } from './wasm-runtime.js';

/** Kernels on the WebAssembly matrix product, for both backends. */
const productKernels: Readonly<Record<string, FastKernel>> = {
  Conv2D: conv2d,
  FusedConv2D: conv2d,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Conv2DBackpropInput: conv2dBackpropInput,
  BatchMatMul: matMul,
  _FusedMatMul: matMul,
};

/** Element-wise kernels the cpu backend computes slowly (the wasm backend's are fast). */
const cpuKernels: Readonly<Record<string, FastKernel>> = {
  ...Object.fromEntries(
    cpuBinaryOps.map((op): [string, FastKernel] => [op, ({ backend }, inputs) => cpuBinary(op, backend, inputs)]),
  ),
  Select: ({ backend, io }, inputs) => cpuSelect(backend, io, inputs),
};

/**
 * Kernels both backends run slowly, or not at all: wasm has no UnsortedSegmentSum (the
 * gradient of Gather), cpu's makes a masked pass over the input per segment; both reduce
 * leading axes by transposing first. And the kernels a training step would otherwise run
 * as several element-wise ops: LeakyRelu's gradient, batch norm's, Adam's update.
 */
const sharedKernels: Readonly<Record<string, FastKernel>> = {
  Tile: ({ backend, io }, inputs, attrs) => tile(backend, io, inputs, attrs),
  UnsortedSegmentSum: ({ backend }, inputs, attrs) => unsortedSegmentSum(backend, inputs, attrs),
  Sum: (context, inputs, attrs) => reduce(false, context, inputs, attrs),
  Mean: (context, inputs, attrs) => reduce(true, context, inputs, attrs),
  LeakyRelu: leakyRelu,
  [LEAKY_RELU_GRAD]: leakyReluGrad,
  FusedBatchNorm: batchNorm,
  [BATCH_NORM_GRAD]: batchNormGrad,
  [ADAM_UPDATE_KERNEL]: adamUpdate,
};

/** The wasm backend copies where it could share. */
const wasmKernels: Readonly<Record<string, FastKernel>> = {
  Identity: ({ backend }, inputs) => sharedIdentity(backend, inputs),
};

const kernelsFor = (backendName: string) => ({ ...productKernels, ...sharedKernels, ...(backendName === 'cpu' ? cpuKernels : wasmKernels) });

/** Gradients computed with fewer, bigger ops than tfjs's own (same values). */
const fastGradients: readonly GradConfig[] = [batchNormGradient, tileGradient, sumGradient, meanGradient, leakyReluGradient, leakyReluGradGradient];

const supportedBackends = ['wasm', 'cpu'] as const;
export type FastKernelBackend = (typeof supportedBackends)[number];

export interface EnableFastKernelsOptions {
  /** Backends to register the kernels for; each must be loaded. Default: whichever of wasm and cpu are loaded. */
  readonly backends?: readonly FastKernelBackend[];
  /** Threads for the kernels, the caller's included; fixed at the first call (disable to change it). Default: the available cores in Node, 1 elsewhere. */
  readonly threads?: number;
}

export interface FastKernelsStatus {
  readonly enabled: boolean;
  readonly backends: readonly string[];
  readonly threads: number;
  /** Kernels replaced, per backend. */
  readonly kernels: Readonly<Record<string, readonly string[]>>;
}

interface State {
  runtime: WasmRuntime;
  /** The stock kernels replaced, per `backend/kernel`, to restore. */
  replaced: Map<string, KernelConfig | undefined>;
  /** tfjs's own gradients replaced (undefined where none was registered), to restore. */
  stockGradients: Map<string, GradConfig | undefined>;
}
let state: State | undefined;
let loading: Promise<WasmRuntime> | undefined;

/**
 * Registers dgm's training kernels (convolutions, their gradients and matrix products, on
 * a WebAssembly SIMD matrix product run on several threads) for the wasm and cpu backends,
 * through tfjs's kernel and gradient registries. Global for this tfjs-core: every model on
 * those backends uses them. Idempotent; `disableFastKernels()` restores the stock ones.
 */
export async function enableFastKernels(options: EnableFastKernelsOptions = {}): Promise<FastKernelsStatus> {
  const threads = options.threads ?? (await defaultThreads());
  if (!Number.isInteger(threads) || threads < 1) {
    throw new InvalidArgumentError(`enableFastKernels: threads must be a positive integer, got ${threads}`);
  }
  for (const b of options.backends ?? []) {
    if (b !== 'wasm' && b !== 'cpu') throw new InvalidArgumentError(`enableFastKernels: backends must be 'wasm' or 'cpu', got '${String(b)}'`);
    // A backend package imported later would register its stock kernels over these.
    if (findBackendFactory(b) === null) {
      throw new InvalidArgumentError(`enableFastKernels: backend '${b}' is not loaded; import its package (or call initBackend) first`);
    }
  }
  const backends = options.backends ?? supportedBackends.filter((b) => findBackendFactory(b) !== null);
  loading ??= WasmRuntime.load(threads);
  const runtime = await loading;
  if (state === undefined) {
    registerMissingGradients();
    const stockGradients = new Map<string, GradConfig | undefined>();
    for (const gradient of fastGradients) {
      stockGradients.set(gradient.kernelName, getGradient(gradient.kernelName));
      registerGradient(gradient);
    }
    state = { runtime, replaced: new Map(), stockGradients };
  }
  for (const backendName of backends) register(backendName, state);
  return fastKernelsStatus();
}

/** Restores every stock kernel and gradient that `enableFastKernels` replaced and stops its threads. */
export function disableFastKernels(): void {
  if (state === undefined) return;
  for (const [key, original] of state.replaced) {
    const [backendName, kernelName] = key.split('/') as [string, string];
    unregisterKernel(kernelName, backendName);
    if (original !== undefined) registerKernel(original);
  }
  for (const [kernelName, stock] of state.stockGradients) {
    if (stock === undefined) unregisterGradient(kernelName);
    else registerGradient(stock);
  }
  state.runtime.dispose();
  state = undefined;
  loading = undefined;
}

export function fastKernelsStatus(): FastKernelsStatus {
  const backends = [...new Set([...(state?.replaced.keys() ?? [])].map((key) => key.split('/')[0]!))];
  const kernels = Object.fromEntries(backends.map((b) => [b, Object.keys(kernelsFor(b))]));
  return { enabled: state !== undefined, backends, threads: state?.runtime.threads ?? 0, kernels };
}

function register(backendName: string, { runtime, replaced }: State): void {
  for (const [kernelName, fast] of Object.entries(kernelsFor(backendName))) {
    const key = `${backendName}/${kernelName}`;
    if (replaced.has(key)) continue;
    const original = getKernel(kernelName, backendName);
    replaced.set(key, original);
    if (original !== undefined) unregisterKernel(kernelName, backendName);
    registerKernel({
      // Keeps the stock setup and disposal (wasm binds its C functions there) for the fallback.
      ...original,
      kernelName,
      backendName,
      kernelFunc: ({ inputs, backend, attrs = {} }) => {
        const kernelBackend = backend as KernelBackend;
        const result = fast({ backend: kernelBackend, wide: backendName === 'cpu', runtime, io: tensorIO(kernelBackend) }, inputs as never, attrs);
        if (result !== undefined) return result;
        if (original === undefined) throw new BackendError(`@dgm/kernels: this ${kernelName} call is not supported on ${backendName}`);
        return original.kernelFunc({ inputs, backend, attrs });
      },
    });
  }
}

