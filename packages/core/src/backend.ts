import * as tf from '@tensorflow/tfjs-core';
import { BackendError, InvalidArgumentError } from './errors.js';
import { importNodeBuiltin, nodeProcess } from './node-builtins.js';
import { describeValue } from './parse-options.js';

/**
 * What an app asks for. `'tensorflow'` is tfjs-node-gpu or tfjs-node, whichever is installed
 * (GPU first); `'webgl'` and `'webgpu'` are for browsers (never tried by `'auto'`).
 */
export type BackendChoice = 'auto' | BackendName;
export type BackendName = 'tensorflow' | 'wasm' | 'cpu' | 'webgl' | 'webgpu';

export type BackendPackage =
  | '@tensorflow/tfjs-node-gpu'
  | '@tensorflow/tfjs-node'
  | '@tensorflow/tfjs-backend-wasm'
  | '@tensorflow/tfjs-backend-cpu'
  | '@tensorflow/tfjs-backend-webgl'
  | '@tensorflow/tfjs-backend-webgpu';

export interface BackendAttempt {
  readonly package: BackendPackage;
  readonly outcome: 'selected' | 'missing' | 'failed';
  readonly detail: string;
}

export interface InitBackendResult {
  readonly backend: BackendName;
  readonly package: BackendPackage;
  /** One line saying what was chosen and why the packages before it were not. */
  readonly reason: string;
  readonly attempts: readonly BackendAttempt[];
  /** Whether @dgm/kernels' fast training kernels are on for this backend, and why (not). */
  readonly fastKernels: { readonly enabled: boolean; readonly detail: string };
}

export interface InitBackendOptions {
  /** Default 'auto'. */
  readonly backend?: BackendChoice;
  /**
   * Loaders to use instead of `import(packageName)`, e.g. for bundlers, which need a
   * static `() => import('@tensorflow/tfjs-backend-wasm')`.
   */
  readonly loaders?: Partial<Record<BackendPackage | '@dgm/kernels', () => Promise<unknown>>>;
  /** Where the wasm backend finds its `.wasm` files. Default in Node: the installed package's own `dist/`. */
  readonly wasmPaths?: string;
  /**
   * Enable @dgm/kernels' fast training kernels on the wasm and cpu backends when that
   * package is installed. Default true.
   */
  readonly fastKernels?: boolean;
}

const candidates: Readonly<Record<BackendName, readonly BackendPackage[]>> = {
  tensorflow: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  cpu: ['@tensorflow/tfjs-backend-cpu'],
  webgl: ['@tensorflow/tfjs-backend-webgl'],
  webgpu: ['@tensorflow/tfjs-backend-webgpu'],
};
const autoOrder: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * Loads a tfjs backend by dynamic import of whatever is installed and makes it the
 * active one. `'auto'` tries tfjs-node-gpu, tfjs-node, wasm, cpu in that order.
 * Nothing in dgm selects a backend on import; apps call this once at start-up.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<InitBackendResult> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`initBackend: expected an options object such as { backend: 'auto' }, got ${JSON.stringify(options)}`);
  }
  const { backend: choice = 'auto', loaders = {}, wasmPaths, fastKernels = true } = options;
  // Own keys only: 'toString', 'constructor' or '__proto__' are not backends.
  if (choice !== 'auto' && !(typeof choice === 'string' && Object.hasOwn(candidates, choice))) {
    throw new InvalidArgumentError(
      `initBackend: backend must be one of 'auto', ${Object.keys(candidates).map((name) => `'${name}'`).join(', ')}, got ${describeValue(choice)}`,
    );
  }
  if (typeof loaders !== 'object' || loaders === null) throw new InvalidArgumentError(`initBackend: loaders: expected an object of loader functions, got ${describeValue(loaders)}`);
  for (const [name, loader] of Object.entries(loaders)) {
    if (typeof loader !== 'function') throw new InvalidArgumentError(`initBackend: loaders.${name}: expected a function () => import(…), got ${describeValue(loader)}`);
  }
  if (wasmPaths !== undefined && typeof wasmPaths !== 'string') throw new InvalidArgumentError(`initBackend: wasmPaths: expected a string, got ${describeValue(wasmPaths)}`);
  if (typeof fastKernels !== 'boolean') throw new InvalidArgumentError(`initBackend: fastKernels: expected boolean, got ${describeValue(fastKernels)}`);
  const names = choice === 'auto' ? autoOrder : [choice];
  const attempts: BackendAttempt[] = [];
  for (const name of names) {
    for (const pkg of candidates[name]) {
      const attempt = await tryBackend(name, pkg, Object.hasOwn(loaders, pkg) ? loaders[pkg] : undefined, wasmPaths);
      attempts.push(attempt);
      if (attempt.outcome === 'selected') {
        const kernels = await enableKernels(name, fastKernels, Object.hasOwn(loaders, '@dgm/kernels') ? loaders['@dgm/kernels'] : undefined);
        const reason = `${describe(choice, attempts)}; fast kernels: ${kernels.detail}`;
        return { backend: name, package: pkg, reason, attempts, fastKernels: kernels };
      }
    }
  }
  const failed = attempts.filter((a) => a.outcome === 'failed');
  if (choice !== 'auto' && failed.length === 0) {
    throw new InvalidArgumentError(
      `initBackend: backend '${choice}' needs ${candidates[choice].join(' or ')}, which is not installed; ` +
        `install it next to @tensorflow/tfjs-core (npm i ${candidates[choice].at(-1)}@${tf.version_core})`,
    );
  }
  throw new BackendError(`initBackend({ backend: '${choice}' }): no backend could be started: ${describe(choice, attempts)}`, {
    cause: failed.at(-1)?.detail,
  });
}

/** The name of the backend @dgm packages compute on (their copy of tfjs-core). */
export function currentBackend(): string {
  return tf.getBackend();
}

async function tryBackend(name: BackendName, pkg: BackendPackage, loader: (() => Promise<unknown>) | undefined, wasmPaths: string | undefined): Promise<BackendAttempt> {
  const restoreHandlers = keepProcessErrorHandlers();
  try {
    return await loadBackend(name, pkg, loader, wasmPaths);
  } finally {
    restoreHandlers();
  }
}

async function loadBackend(name: BackendName, pkg: BackendPackage, loader: (() => Promise<unknown>) | undefined, wasmPaths: string | undefined): Promise<BackendAttempt> {
  let module: unknown;
  try {
    module = await (loader ?? (() => importPackage(pkg)))();
  } catch (error) {
    return isMissing(error, pkg)
      ? { package: pkg, outcome: 'missing', detail: 'not installed' }
      : { package: pkg, outcome: 'failed', detail: `failed to load: ${message(error)}` };
  }
  try {
    if (name === 'wasm') await configureWasm(module, wasmPaths, loader === undefined);
    if (await tf.setBackend(name)) {
      await tf.ready();
      return { package: pkg, outcome: 'selected', detail: `backend '${name}'` };
    }
    return { package: pkg, outcome: 'failed', detail: `tf.setBackend('${name}') returned false` };
  } catch (error) {
    return { package: pkg, outcome: 'failed', detail: `failed to initialize: ${message(error)}` };
  }
}

const errorEvents = ['uncaughtException', 'unhandledRejection'];

/**
 * In Node, the wasm backend's Emscripten module installs process handlers that rethrow any
 * uncaught error from inside themselves, so that Node exits with code 7 and a stack in
 * tfjs's bundle instead of the app's error and code 1. The returned function removes the
 * handlers added since this call.
 */
function keepProcessErrorHandlers(): () => void {
  const process = nodeProcess();
  if (process === undefined) return () => undefined;
  const before = new Map(errorEvents.map((event) => [event, new Set(process.listeners(event))]));
  return () => {
    for (const event of errorEvents) {
      for (const listener of process.listeners(event)) if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  };
}

/**
 * `import(pkg)` from here, or else, in Node, from the app's folder (process.cwd()): the
 * optional packages (tfjs-node, @dgm/kernels) are the app's dependencies, which a strict or
 * linked layout (pnpm workspaces, npm link) does not let this package see.
 */
async function importPackage(pkg: string): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ pkg);
  } catch (error) {
    if (!isNode() || !isMissing(error, pkg)) throw error;
    const { createRequire } = await importNodeBuiltin<NodeModuleApi>('node:module');
    const { join } = await importNodeBuiltin<NodePathApi>('node:path');
    const { pathToFileURL } = await importNodeBuiltin<{ pathToFileURL(path: string): URL }>('node:url');
    let resolved: string;
    try {
      resolved = createRequire(join(nodeProcess()!.cwd(), 'package.json')).resolve(pkg);
    } catch {
      throw error;
    }
    return import(/* @vite-ignore */ pathToFileURL(resolved).href);
  }
}

/** Enables @dgm/kernels for wasm and cpu when it is installed (it is an optional companion package). */
async function enableKernels(
  backend: BackendName,
  wanted: boolean,
  loader: (() => Promise<unknown>) | undefined,
): Promise<InitBackendResult['fastKernels']> {
  if (backend === 'tensorflow') return { enabled: false, detail: 'not needed on tfjs-node' };
  if (backend !== 'wasm' && backend !== 'cpu') return { enabled: false, detail: `none for ${backend}` };
  if (!wanted) return { enabled: false, detail: 'off (fastKernels: false)' };
  const pkg = '@dgm/kernels';
  let module: { enableFastKernels?: (options: object) => Promise<{ threads: number }> };
  try {
    module = (await (loader ?? (() => importPackage(pkg)))()) as typeof module;
  } catch (error) {
    if (isMissing(error, pkg)) return { enabled: false, detail: `${pkg} is not installed` };
    throw new BackendError(`initBackend: ${pkg} failed to load: ${message(error)}`, { cause: error });
  }
  if (typeof module.enableFastKernels !== 'function') {
    throw new BackendError(`initBackend: ${pkg} has no enableFastKernels(); install a version matching @dgm/core`);
  }
  const { threads } = await module.enableFastKernels({ backends: [backend] });
  return { enabled: true, detail: `on (${threads} thread${threads === 1 ? '' : 's'})` };
}

/**
 * Points the wasm backend at the `.wasm` files inside its installed package, so that
 * nothing is fetched over the network. It takes effect at the backend's first initialization.
 */
async function configureWasm(module: unknown, wasmPaths: string | undefined, resolveLocally: boolean): Promise<void> {
  const setWasmPaths = (module as { setWasmPaths?: (prefix: string) => void }).setWasmPaths;
  if (typeof setWasmPaths !== 'function') return;
  const prefix = wasmPaths ?? (resolveLocally && isNode() ? await localWasmDir() : undefined);
  if (prefix !== undefined) setWasmPaths(prefix);
}

async function localWasmDir(): Promise<string> {
  const { createRequire } = await importNodeBuiltin<NodeModuleApi>('node:module');
  const { dirname, sep } = await importNodeBuiltin<NodePathApi>('node:path');
  return dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) + sep;
}

/** The parts of node:module and node:path used here. */
interface NodeModuleApi {
  createRequire(path: string): { resolve(id: string): string };
}
interface NodePathApi {
  join(...parts: string[]): string;
  dirname(path: string): string;
  readonly sep: string;
}

function isNode(): boolean {
  return nodeProcess() !== undefined;
}

/** True when `pkg` itself is absent (not when it is present but one of its own files or dependencies is missing). */
function isMissing(error: unknown, pkg: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const text = message(error);
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Failed to (load|resolve)/.test(text)) &&
    (text.includes(`'${pkg}'`) || text.includes(`"${pkg}"`))
  );
}

function message(error: unknown): string {
  const text = (error as { message?: unknown } | null)?.message;
  return typeof text === 'string' ? text : String(error);
}

function describe(choice: BackendChoice, attempts: readonly BackendAttempt[]): string {
  const parts = attempts.map((a) => (a.outcome === 'selected' ? `using ${a.package}` : `${a.package}: ${a.detail}`));
  return `'${choice}': ${parts.join('; ')}`;
}
