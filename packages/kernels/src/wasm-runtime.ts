import { BackendError, importNodeBuiltin, nodeProcess } from '@dgm/core';
import { ThreadPool, type OpName } from './thread-pool.js';

/** The functions of `assembly/` (pointers are byte offsets in the module's memory). */
interface KernelExports {
  gemmWorkFloats(cols: number): number;
  gemm(...args: number[]): void;
  im2col(...args: number[]): void;
  col2im(...args: number[]): void;
  biasActivation(...args: number[]): void;
  dgemmWorkFloats(cols: number): number;
  dgemm(...args: number[]): void;
  choleskyPanel(...args: number[]): number;
  householderStep(...args: number[]): void;
}

/** Where a split of work goes in an op's argument list. */
export interface Split {
  /** Index of the range start in the arguments; the end follows it. */
  readonly at: number;
  readonly total: number;
  /** Every part but the last is a multiple of this. */
  readonly align: number;
  /** Index of the per-thread scratch pointer in the arguments, if the op takes one. */
  readonly workAt?: number;
  /** Where the range starts. Default 0. */
  readonly start?: number;
}

const PAGE = 65536;
const MAX_PAGES = 16384; // 1 GiB, the maximum the threaded module declares
/** The first page holds the module's static data (math tables at 1024); regions start above it. */
const BASE = PAGE;
/** Below this many floating-point operations a kernel runs on one thread. */
const PARALLEL_MIN_FLOPS = 2e6;

export class WasmRuntime {
  #workFloats = 0;
  #workPtr = 0;

  private constructor(
    private readonly exports: KernelExports,
    readonly memory: WebAssembly.Memory,
    private readonly pool: ThreadPool | undefined,
  ) {}

  /** Loads the kernels module; with `threads` > 1 in Node, on shared memory with `threads − 1` workers. */
  static async load(threads: number): Promise<WasmRuntime> {
    const shared = threads > 1 && isNode() && typeof SharedArrayBuffer === 'function';
    const bytes = await readBinary(shared ? 'dgm-kernels-threads.wasm' : 'dgm-kernels.wasm');
    const module = await WebAssembly.compile(bytes);
    const memory = new WebAssembly.Memory(shared ? { initial: 16, maximum: MAX_PAGES, shared: true } : { initial: 16, maximum: MAX_PAGES });
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const pool = shared ? await ThreadPool.start(threads - 1, module, memory) : undefined;
    return new WasmRuntime(instance.exports as unknown as KernelExports, memory, pool);
  }

  get threads(): number {
    return (this.pool?.size ?? 0) + 1;
  }

  /**
   * Reserves one region per entry of `floats` (plus per-thread matrix-product scratch for
   * `gemmColumns` columns, of the float64 product if `float64`) and returns their pointers;
   * earlier regions are released. Returns undefined when the memory limit would be exceeded.
   */
  allocate(floats: readonly number[], gemmColumns = 0, float64 = false): number[] | undefined {
    let top = BASE;
    const pointers = floats.map((n) => {
      const ptr = top;
      top += Math.ceil((n * 4) / 64) * 64;
      return ptr;
    });
    this.#workFloats = gemmColumns === 0 ? 0 : float64 ? this.exports.dgemmWorkFloats(gemmColumns) : this.exports.gemmWorkFloats(gemmColumns);
    this.#workPtr = top;
    top += Math.ceil((this.#workFloats * 4) / 64) * 64 * this.threads;
    const pages = Math.ceil(top / PAGE);
    if (pages > MAX_PAGES) return undefined;
    const have = this.memory.buffer.byteLength / PAGE;
    if (pages > have) this.memory.grow(pages - have);
    return pointers;
  }

  /** A view of `length` floats at `ptr` (valid until the next `allocate`). */
  view(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  /** A view of `length` doubles at `ptr` (valid until the next `allocate`). */
  view64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }

  /** Calls a single-threaded function of the module. */
  call(name: 'choleskyPanel' | 'householderStep', args: number[]): number {
    return this.exports[name](...args) ?? 0;
  }

  /** Runs `op` over the range of `split`, sliced across the threads when `flops` makes it worth it. */
  run(op: OpName, args: number[], split: Split, flops: number): void {
    const parts = flops < PARALLEL_MIN_FLOPS ? 1 : Math.min(this.threads, Math.ceil(split.total / split.align));
    const per = Math.ceil(split.total / parts / split.align) * split.align;
    const sliceArgs = (t: number): number[] => {
      const copy = args.slice();
      copy[split.at] = (split.start ?? 0) + Math.min(t * per, split.total);
      copy[split.at + 1] = (split.start ?? 0) + Math.min((t + 1) * per, split.total);
      if (split.workAt !== undefined) copy[split.workAt] = this.#workPtr + t * Math.ceil((this.#workFloats * 4) / 64) * 64;
      return copy;
    };
    for (let t = 1; t < parts; t++) this.pool!.post(t - 1, op, sliceArgs(t));
    const errors: unknown[] = [];
    try {
      this.exports[op](...sliceArgs(0));
    } catch (e) {
      errors.push(e);
    }
    // Every worker must be idle again before the next call, whatever failed.
    for (let t = 1; t < parts; t++) {
      try {
        this.pool!.wait(t - 1);
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  dispose(): void {
    this.pool?.terminate();
  }
}

/** Threads worth using: the available cores in Node, 1 elsewhere (workers need Node here). */
export async function defaultThreads(): Promise<number> {
  if (!isNode()) return 1;
  const os = await importNodeBuiltin<{ availableParallelism(): number }>('node:os');
  return os.availableParallelism();
}

function isNode(): boolean {
  return nodeProcess() !== undefined;
}

async function readBinary(name: string): Promise<ArrayBuffer> {
  const url = new URL(`../wasm/${name}`, import.meta.url);
  if (isNode()) {
    const { readFile } = await importNodeBuiltin<{ readFile(path: URL): Promise<Uint8Array> }>('node:fs/promises');
    const data = await readFile(url);
    return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  }
  const response = await fetch(url);
  if (!response.ok) throw new BackendError(`@dgm/kernels: cannot load ${url.href}: HTTP ${response.status}`);
  return response.arrayBuffer();
}
