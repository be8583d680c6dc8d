/**
 * Worker threads that run the kernels module on the same shared memory as the caller.
 * A call is split into chunks that the caller and the workers take one at a time from a
 * shared counter (`Atomics.add`), so that a thread slowed by another process on its core
 * takes fewer chunks instead of holding every other thread up. Workers are woken through
 * a shared control block and `Atomics.notify`; the caller takes chunks too, then waits with
 * `Atomics.wait`, taking back a posting that no worker has picked up yet (a worker whose
 * core is busy may not run for milliseconds). No message passing: a kernel stays
 * synchronous, as tfjs requires.
 */

import { BackendError, importNodeBuiltin } from '@dgm/core';

export const OPS = ['gemm', 'packB32', 'gemmPacked', 'im2col', 'col2im', 'biasActivation', 'dgemm', 'leakyRelu', 'leakyReluGrad', 'adamUpdate', 'columnSums', 'batchNorm', 'batchNormGrad'] as const;
export type OpName = (typeof OPS)[number];

const MAX_ARGS = 24;
const MESSAGE_BYTES = 256;
const IDLE = 0;
const POSTED = 1;
const RUNNING = 2;
const DONE = 3;
const FAILED = 4;
const EXIT = 5;
/** The job block after the workers' states: next chunk, chunks, range argument index, start, chunk size, total. */
const JOB_INTS = 6;

/** How a call's range is cut into chunks: argument `at` (and `at + 1`) get start + [c·per, (c + 1)·per) ∩ [0, total). */
export interface Job {
  readonly at: number;
  readonly start: number;
  readonly per: number;
  readonly total: number;
  readonly chunks: number;
}

/**
 * Runs inside each worker, from a string (no file to locate); valid as a CommonJS script
 * and as a module, since a worker inherits flags such as --input-type=module. In a browser
 * it is a Web Worker that gets its data in its first message.
 */
const workerSource = `(async () => {
const web = typeof self === 'object' && typeof self.postMessage === 'function' && typeof WorkerGlobalScope === 'function';
const { parentPort, workerData } = web
  ? { parentPort: self, workerData: await new Promise((resolve) => self.addEventListener('message', (e) => resolve(e.data), { once: true })) }
  : await import('node:worker_threads');
const { module, memory, control, args, messages, index, ops, workers } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const state = new Int32Array(control, index * 8, 2);
const job = new Int32Array(control, workers * 8, ${JOB_INTS});
const slot = new Float64Array(args, index * ${MAX_ARGS} * 8, ${MAX_ARGS});
parentPort.postMessage('ready');
for (;;) {
  let s = Atomics.load(state, 0);
  for (; s !== ${POSTED} && s !== ${EXIT}; s = Atomics.load(state, 0)) Atomics.wait(state, 0, s);
  if (s === ${EXIT}) break;
  // The caller may have taken the posting back while this thread was not running.
  if (Atomics.compareExchange(state, 0, ${POSTED}, ${RUNNING}) !== ${POSTED}) continue;
  try {
    const fn = instance.exports[ops[state[1]]];
    const a = Array.from(slot.subarray(0, fn.length));
    const [, chunks, at, start, per, total] = job;
    for (let c = Atomics.add(job, 0, 1); c < chunks; c = Atomics.add(job, 0, 1)) {
      a[at] = start + Math.min(c * per, total);
      a[at + 1] = start + Math.min((c + 1) * per, total);
      fn(...a);
    }
    Atomics.store(state, 0, ${DONE});
  } catch (error) {
    Atomics.store(job, 0, job[1]); // the others take no more chunks
    const text = new TextEncoder().encode(String(error)).subarray(0, ${MESSAGE_BYTES} - 1);
    new Uint8Array(messages, index * ${MESSAGE_BYTES}, ${MESSAGE_BYTES}).fill(0).set(text);
    Atomics.store(state, 0, ${FAILED});
  }
  Atomics.notify(state, 0);
}
})();
`;

/** The part of node:worker_threads used here (the main entry type-checks without Node's types). */
interface NodeWorker {
  once(event: 'message' | 'error', listener: (value: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}
interface NodeWorkerThreads {
  readonly Worker: new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;
}

/** Atomics.wait throws on a browser page's main thread (it has a `document`); Node and workers may block. */
const mayBlock = typeof (globalThis as { document?: unknown }).document === 'undefined';

type Started = { terminate(): unknown };

/** A Web Worker running `workerSource` from a Blob URL, handed its data in a message. */
function webWorker(data: object): Promise<Started> {
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  worker.postMessage(data);
  return new Promise<Started>((resolve, reject) => {
    worker.addEventListener('message', () => (URL.revokeObjectURL(url), resolve(worker)), { once: true });
    worker.addEventListener('error', (event) => reject(new BackendError(`@dgm/kernels: a worker failed to start: ${event.message}`)), { once: true });
  });
}

async function nodeWorkerStarter(): Promise<(data: object) => Promise<Started>> {
  const { Worker } = await importNodeBuiltin<NodeWorkerThreads>('node:worker_threads');
  return (workerData) => {
    const worker = new Worker(workerSource, { eval: true, workerData });
    worker.unref(); // never keeps the process alive
    return new Promise<NodeWorker>((resolve, reject) => {
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
    });
  };
}

export class ThreadPool {
  private constructor(
    private readonly workers: { terminate(): unknown }[],
    private readonly state: Int32Array,
    private readonly args: Float64Array,
    private readonly messages: Uint8Array,
  ) {}

  /** Starts `count` workers (Node's worker threads, or Web Workers in a browser); resolves when every one is ready. */
  static async start(count: number, module: WebAssembly.Module, memory: WebAssembly.Memory, inBrowser: boolean): Promise<ThreadPool> {
    const control = new SharedArrayBuffer(count * 8 + JOB_INTS * 4);
    const args = new SharedArrayBuffer(count * MAX_ARGS * 8);
    const messages = new SharedArrayBuffer(count * MESSAGE_BYTES);
    const data = (index: number) => ({ module, memory, control, args, messages, index, ops: OPS, workers: count });
    const start = inBrowser ? webWorker : await nodeWorkerStarter();
    const workers = await Promise.all(Array.from({ length: count }, (_, index) => start(data(index))));
    return new ThreadPool(workers, new Int32Array(control), new Float64Array(args), new Uint8Array(messages));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Sets the chunks the next posted workers and the caller share. */
  startJob(job: Job): void {
    const block = this.state.subarray(this.workers.length * 2);
    block.set([0, job.chunks, job.at, job.start, job.per, job.total]);
  }

  /** The next chunk for the caller to run; ≥ chunks when none is left. */
  nextChunk(): number {
    return Atomics.add(this.state, this.workers.length * 2, 1);
  }

  /** Leaves no chunk for anyone (after a failure). */
  cancelJob(): void {
    const at = this.workers.length * 2;
    Atomics.store(this.state, at, this.state[at + 1]!);
  }

  /** Hands `args` to worker `index` (0-based) to take chunks of the job with; returns at once. */
  post(index: number, op: OpName, args: readonly number[]): void {
    this.args.set(args, index * MAX_ARGS);
    this.state[index * 2 + 1] = OPS.indexOf(op);
    Atomics.store(this.state, index * 2, POSTED);
    Atomics.notify(this.state, index * 2);
  }

  /** Takes back the posting of worker `index` if it has not started, else waits until it has finished. */
  wait(index: number): void {
    const at = index * 2;
    if (Atomics.compareExchange(this.state, at, POSTED, IDLE) === POSTED) return;
    // A page's main thread may not block: it spins for the little time a chunk takes.
    for (let s = Atomics.load(this.state, at); s === RUNNING; s = Atomics.load(this.state, at)) if (mayBlock) Atomics.wait(this.state, at, s);
    const failed = this.state[at] === FAILED;
    Atomics.store(this.state, at, IDLE);
    if (failed) throw new BackendError(`@dgm/kernels: worker ${index} failed: ${this.message(index)}`);
  }

  /** The error text worker `index` left (copied out: TextDecoder refuses shared memory). */
  private message(index: number): string {
    const bytes = this.messages.slice(index * MESSAGE_BYTES, (index + 1) * MESSAGE_BYTES);
    return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
  }

  terminate(): void {
    for (let i = 0; i < this.workers.length; i++) {
      Atomics.store(this.state, i * 2, EXIT);
      Atomics.notify(this.state, i * 2);
      void this.workers[i]!.terminate();
    }
  }
}
