import { BackendError, importNodeBuiltin, nodeProcess } from '@dgm/core';
import { ThreadPool, type OpName } from './thread-pool.js';

/** The functions of `assembly/` (pointers are byte offsets in the module's memory). */
interface KernelExports {
  gemmWorkFloats(cols: number): number;
  gemm(...args: number[]): void;
  packB32(...args: number[]): void;
  gemmPacked(...args: number[]): void;
  im2col(...args: number[]): void;
  col2im(...args: number[]): void;
  biasActivation(...args: number[]): void;
  dgemmWorkFloats(cols: number): number;
  dgemm(...args: number[]): void;
  leakyRelu(...args: number[]): void;
  leakyReluGrad(...args: number[]): void;
  adamUpdate(...args: number[]): void;
  columnSums(...args: number[]): void;
  batchNorm(...args: number[]): void;
  batchNormGrad(...args: number[]): void;
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
/**
 * Chunks per thread, and the least work worth a chunk of its own: enough chunks that a
 * thread slowed by another process costs about its share, few enough that each chunk's
 * fixed cost (the matrix product packs its B panel again) stays small.
 */
const CHUNKS_PER_THREAD = 4;
const CHUNK_MIN_FLOPS = 4e6;

export class WasmRuntime {
  #workFloats = 0;
  #workPtr = 0;
  /** The end of what `allocate` reserved. */
  #top = BASE;

  private constructor(
    private readonly exports: KernelExports,
    readonly memory: WebAssembly.Memory,
    private readonly pool: ThreadPool | undefined,
  ) {}

  /**
   * Loads the kernels module; with `threads` > 1, on shared memory with `threads − 1` workers
   * (in Node, or in a cross-origin-isolated page: elsewhere there is no SharedArrayBuffer).
   */
  static async load(threads: number): Promise<WasmRuntime> {
    const shared = threads > 1 && (isNode() || crossOriginIsolated()) && typeof SharedArrayBuffer === 'function';
    const bytes = await readBinary(shared ? 'dgm-kernels-threads.wasm' : 'dgm-kernels.wasm');
    const module = await WebAssembly.compile(bytes);
    const memory = new WebAssembly.Memory(shared ? { initial: 16, maximum: MAX_PAGES, shared: true } : { initial: 16, maximum: MAX_PAGES });
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const pool = shared ? await ThreadPool.start(threads - 1, module, memory, !isNode()) : undefined;
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
    if (!this.#reach(top)) return undefined;
    this.#top = top;
    return pointers;
  }

  /** A region of `floats` above what `allocate` reserved, valid until the next `allocate` or `scratch`; undefined past the memory limit. */
  scratch(floats: number): number | undefined {
    return this.#reach(this.#top + floats * 4) ? this.#top : undefined;
  }

  /** Grows the memory to hold `bytes`; false past the limit. */
  #reach(bytes: number): boolean {
    const pages = Math.ceil(bytes / PAGE);
    if (pages > MAX_PAGES) return false;
    const have = this.memory.buffer.byteLength / PAGE;
    if (pages > have) this.memory.grow(pages - have);
    return true;
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

  /**
   * Runs `op` over the range of `split`, in chunks that every thread takes from as it
   * becomes free when `flops` makes sharing worth it.
   */
  run(op: OpName, args: number[], split: Split, flops: number): void {
    const start = split.start ?? 0;
    const units = Math.ceil(split.total / split.align);
    const wanted = flops < PARALLEL_MIN_FLOPS || this.pool === undefined ? 1 : Math.min(units, this.threads * CHUNKS_PER_THREAD, Math.max(this.threads, Math.floor(flops / CHUNK_MIN_FLOPS)));
    const per = Math.ceil(units / wanted) * split.align;
    const chunks = Math.max(1, Math.ceil(split.total / per));
    const argsFor = (thread: number): number[] => {
      const copy = args.slice();
      if (split.workAt !== undefined) copy[split.workAt] = this.#workPtr + thread * Math.ceil((this.#workFloats * 4) / 64) * 64;
      return copy;
    };
    const own = argsFor(0);
    const runChunk = (c: number) => {
      own[split.at] = start + Math.min(c * per, split.total);
      own[split.at + 1] = start + Math.min((c + 1) * per, split.total);
      this.exports[op](...own);
    };
    if (chunks === 1) return runChunk(0);
    const pool = this.pool!;
    const helpers = Math.min(pool.size, chunks - 1);
    pool.startJob({ at: split.at, start, per, total: split.total, chunks });
    for (let t = 1; t <= helpers; t++) pool.post(t - 1, op, argsFor(t));
    const errors: unknown[] = [];
    try {
      for (let c = pool.nextChunk(); c < chunks; c = pool.nextChunk()) runChunk(c);
    } catch (e) {
      pool.cancelJob();
      errors.push(e);
    }
    // Every worker must be idle again before the next call, whatever failed.
    for (let t = 1; t <= helpers; t++) {
      try {
        pool.wait(t - 1);
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
  if (!isNode()) return crossOriginIsolated() ? (globalThis.navigator?.hardwareConcurrency ?? 1) : 1;
  const os = await importNodeBuiltin<{ availableParallelism(): number }>('node:os');
  return os.availableParallelism();
}

function isNode(): boolean {
  return nodeProcess() !== undefined;
}

function crossOriginIsolated(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
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
