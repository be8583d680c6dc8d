/**
 * Worker threads that run the kernels module on the same shared memory as the caller.
 * A call hands each worker a slice of the work through a shared control block and
 * `Atomics.notify`, does slice 0 itself, then waits with `Atomics.wait`: no message
 * passing, so a kernel stays synchronous as tfjs requires.
 */

import { BackendError, importNodeBuiltin } from '@dgm/core';

export const OPS = ['gemm', 'im2col', 'col2im', 'biasActivation', 'dgemm'] as const;
export type OpName = (typeof OPS)[number];

const MAX_ARGS = 24;
const MESSAGE_BYTES = 256;
const IDLE = 0;
const BUSY = 1;
const DONE = 2;
const FAILED = 3;
const EXIT = 4;

/**
 * Runs inside each worker, from a string (no file to locate); valid as a CommonJS script
 * and as a module, since a worker inherits flags such as --input-type=module.
 */
const workerSource = `(async () => {
const { parentPort, workerData } = await import('node:worker_threads');
const { module, memory, control, args, messages, index, ops } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const state = new Int32Array(control, index * 8, 2);
const slot = new Float64Array(args, index * ${MAX_ARGS} * 8, ${MAX_ARGS});
parentPort.postMessage('ready');
for (;;) {
  // Sleep until work or exit arrives (also while the caller has not yet taken a result).
  for (let s = Atomics.load(state, 0); s !== ${BUSY} && s !== ${EXIT}; s = Atomics.load(state, 0)) Atomics.wait(state, 0, s);
  if (state[0] === ${EXIT}) break;
  try {
    const fn = instance.exports[ops[state[1]]];
    fn(...Array.from(slot.subarray(0, fn.length)));
    Atomics.store(state, 0, ${DONE});
  } catch (error) {
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

export class ThreadPool {
  private constructor(
    private readonly workers: { terminate(): unknown }[],
    private readonly state: Int32Array,
    private readonly args: Float64Array,
    private readonly messages: Uint8Array,
  ) {}

  /** Starts `count` workers; resolves when every one is ready. */
  static async start(count: number, module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<ThreadPool> {
    const { Worker } = await importNodeBuiltin<NodeWorkerThreads>('node:worker_threads');
    const control = new SharedArrayBuffer(count * 8 * 4);
    const args = new SharedArrayBuffer(count * MAX_ARGS * 8);
    const messages = new SharedArrayBuffer(count * MESSAGE_BYTES);
    const workers = await Promise.all(
      Array.from({ length: count }, (_, index) => {
        const worker = new Worker(workerSource, {
          eval: true,
          workerData: { module, memory, control, args, messages, index, ops: OPS },
        });
        worker.unref(); // never keeps the process alive
        return new Promise<NodeWorker>((resolve, reject) => {
          worker.once('message', () => resolve(worker));
          worker.once('error', reject);
        });
      }),
    );
    return new ThreadPool(workers, new Int32Array(control), new Float64Array(args), new Uint8Array(messages));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Hands `args` to worker `index` (0-based) to run `op`; returns at once. */
  post(index: number, op: OpName, args: readonly number[]): void {
    this.args.set(args, index * MAX_ARGS);
    this.state[index * 2 + 1] = OPS.indexOf(op);
    Atomics.store(this.state, index * 2, BUSY);
    Atomics.notify(this.state, index * 2);
  }

  /** Waits until worker `index` has finished what `post` gave it. */
  wait(index: number): void {
    const at = index * 2;
    while (Atomics.load(this.state, at) === BUSY) Atomics.wait(this.state, at, BUSY);
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
