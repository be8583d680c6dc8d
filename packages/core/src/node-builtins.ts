/** The part of Node's `process` that dgm reads. */
export interface NodeProcess {
  readonly versions: { readonly node: string };
  readonly env: Readonly<Record<string, string | undefined>>;
  cwd(): string;
  listeners(event: string): ((...args: unknown[]) => void)[];
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Node's `process` when running in Node; undefined in browsers and web workers. */
export function nodeProcess(): NodeProcess | undefined {
  const candidate = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof candidate?.versions?.node === 'string' ? (candidate as unknown as NodeProcess) : undefined;
}

/**
 * Imports a Node built-in module, for code of a main entry that runs in browsers too and
 * reaches for Node only where `nodeProcess()` is defined. The specifier is a variable, so
 * that bundlers for the browser leave the import alone; `T` names the part of the module
 * that the caller uses (main entries type-check without Node's types).
 */
export function importNodeBuiltin<T>(specifier: `node:${string}`): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
}
