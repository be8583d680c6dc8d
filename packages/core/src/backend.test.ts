import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { currentBackend, initBackend } from './backend.js';
import { BackendError, InvalidArgumentError } from './errors.js';
import { expectNoLeakedTensors } from './testing/expect-no-leaked-tensors.js';

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
const hasTfjsNode = installed('@tensorflow/tfjs-node-gpu') || installed('@tensorflow/tfjs-node');

/** Σ values on the active backend, asserting that no tensor is left behind. */
async function sum(values: number[]): Promise<number> {
  return expectNoLeakedTensors(() => tf.tidy(() => tf.sum(tf.tensor1d(values)).dataSync()[0]!));
}

/** A loader for @dgm/kernels as if it were not installed (the workspace can see it). */
const kernelsMissing = async () => {
  throw Object.assign(new Error("Cannot find package '@dgm/kernels' imported from x"), { code: 'ERR_MODULE_NOT_FOUND' });
};
const noKernels = { '@dgm/kernels': kernelsMissing };

describe('initBackend', () => {
  it("'cpu' selects the cpu backend and computes on it", async () => {
    const result = await initBackend({ backend: 'cpu', loaders: noKernels });
    expect(result).toMatchObject({ backend: 'cpu', package: '@tensorflow/tfjs-backend-cpu' });
    expect(result.attempts).toEqual([{ package: '@tensorflow/tfjs-backend-cpu', outcome: 'selected', detail: "backend 'cpu'" }]);
    expect(result.fastKernels.enabled).toBe(false);
    expect(tf.getBackend()).toBe('cpu');
    expect(currentBackend()).toBe('cpu');
    expect(await sum([1, 2, 3.5])).toBe(6.5);
  });

  it("'wasm' loads its .wasm files from the installed package and computes on it", async () => {
    const handlers = () => ['uncaughtException', 'unhandledRejection'].map((event) => process.listeners(event as 'uncaughtException').length);
    const before = handlers();
    const result = await initBackend({ backend: 'wasm' });
    expect(result).toMatchObject({ backend: 'wasm', package: '@tensorflow/tfjs-backend-wasm' });
    expect(currentBackend()).toBe('wasm');
    expect(await sum([1, 2, 3.5])).toBe(6.5);
    // Emscripten's handlers, which rethrow an app's uncaught errors (Node then exits with code 7), are removed.
    expect(handlers()).toEqual(before);
  });

  it.runIf(!hasTfjsNode)("'auto' without tfjs-node falls back to wasm and says why", async () => {
    const result = await initBackend({ backend: 'auto', loaders: noKernels });
    expect(result.backend).toBe('wasm');
    expect(result.attempts.map((a) => [a.package, a.outcome])).toEqual([
      ['@tensorflow/tfjs-node-gpu', 'missing'],
      ['@tensorflow/tfjs-node', 'missing'],
      ['@tensorflow/tfjs-backend-wasm', 'selected'],
    ]);
    expect(result.reason).toBe(
      "'auto': @tensorflow/tfjs-node-gpu: not installed; @tensorflow/tfjs-node: not installed; using @tensorflow/tfjs-backend-wasm; " +
        'fast kernels: @dgm/kernels is not installed',
    );
    expect(result.fastKernels).toEqual({ enabled: false, detail: '@dgm/kernels is not installed' });
  });

  it.runIf(!hasTfjsNode)("'tensorflow' without tfjs-node throws InvalidArgumentError naming the package", async () => {
    const error = await initBackend({ backend: 'tensorflow' }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/@tensorflow\/tfjs-node-gpu or @tensorflow\/tfjs-node, which is not installed/);
    expect((error as Error).message).toContain('npm i @tensorflow/tfjs-node@4.22.0');
  });

  it("'webgl' in Node is a typed error naming its package (not installed, or it cannot start here)", async () => {
    const error = await initBackend({ backend: 'webgl' }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error) || BackendError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('@tensorflow/tfjs-backend-webgl');
  });

  it.runIf(hasTfjsNode)("'auto' with tfjs-node installed selects it", async () => {
    expect((await initBackend({ backend: 'auto' })).backend).toBe('tensorflow');
  });

  it('selects tfjs-node when it loads, preferring the GPU package', async () => {
    const registerTensorflow = async () => {
      tf.registerBackend('tensorflow', () => new MathBackendCPU());
      return {};
    };
    const missing = async () => {
      throw Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node-gpu' imported from x"), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    };
    const cpuOnly = await initBackend({
      backend: 'auto',
      loaders: { '@tensorflow/tfjs-node-gpu': missing, '@tensorflow/tfjs-node': registerTensorflow },
    });
    expect(cpuOnly).toMatchObject({ backend: 'tensorflow', package: '@tensorflow/tfjs-node' });
    expect(cpuOnly.reason).toBe(
      "'auto': @tensorflow/tfjs-node-gpu: not installed; using @tensorflow/tfjs-node; fast kernels: not needed on tfjs-node",
    );
    tf.removeBackend('tensorflow');
    const gpu = await initBackend({ backend: 'tensorflow', loaders: { '@tensorflow/tfjs-node-gpu': registerTensorflow } });
    expect(gpu.package).toBe('@tensorflow/tfjs-node-gpu');
    expect(currentBackend()).toBe('tensorflow');
    tf.removeBackend('tensorflow');
  });

  it('reports an installed but broken package as failed and falls back past it', async () => {
    const broken = async () => {
      throw new Error('libtensorflow.so.2: cannot open shared object file');
    };
    const brokenDependency = async () => {
      throw Object.assign(new Error("Cannot find module '/x/lib/napi-v8/tfjs_binding.node'"), { code: 'MODULE_NOT_FOUND' });
    };
    const loaders = { '@tensorflow/tfjs-node-gpu': broken, '@tensorflow/tfjs-node': brokenDependency };
    const result = await initBackend({ backend: 'auto', loaders });
    expect(result.backend).toBe('wasm');
    expect(result.attempts.slice(0, 2)).toEqual([
      { package: '@tensorflow/tfjs-node-gpu', outcome: 'failed', detail: 'failed to load: libtensorflow.so.2: cannot open shared object file' },
      {
        package: '@tensorflow/tfjs-node',
        outcome: 'failed',
        detail: "failed to load: Cannot find module '/x/lib/napi-v8/tfjs_binding.node'",
      },
    ]);
    const error = await initBackend({ backend: 'tensorflow', loaders }).catch((e: unknown) => e);
    expect(BackendError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('libtensorflow.so.2');
    expect((error as Error).cause).toContain('tfjs_binding.node');
  });

  it('reports a package that loads but registers no backend as failed', async () => {
    const registersNothing = async () => ({});
    const loaders = { '@tensorflow/tfjs-node-gpu': registersNothing, '@tensorflow/tfjs-node': registersNothing };
    const error = await initBackend({ backend: 'tensorflow', loaders }).catch((e: unknown) => e);
    expect(BackendError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/failed to initialize: Backend name 'tensorflow' not found in registry/);
  });

  it('enables @dgm/kernels for wasm and cpu when it is installed, unless told not to', async () => {
    const calls: unknown[] = [];
    const kernels = async () => ({
      enableFastKernels: async (options: unknown) => {
        calls.push(options);
        return { threads: 2 };
      },
    });
    const on = await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': kernels } });
    expect(on.fastKernels).toEqual({ enabled: true, detail: 'on (2 threads)' });
    expect(on.reason).toBe("'cpu': using @tensorflow/tfjs-backend-cpu; fast kernels: on (2 threads)");
    expect(calls).toEqual([{ backends: ['cpu'] }]);

    const off = await initBackend({ backend: 'wasm', fastKernels: false, loaders: { '@dgm/kernels': kernels } });
    expect(off.fastKernels).toEqual({ enabled: false, detail: 'off (fastKernels: false)' });
    expect(calls).toHaveLength(1);

    const broken = async () => {
      throw new Error('SyntaxError in @dgm/kernels');
    };
    const error = await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': broken } }).catch((e: unknown) => e);
    expect(BackendError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('@dgm/kernels failed to load: SyntaxError in @dgm/kernels');
  });

  it("finds packages the app installed that this package cannot see (pnpm workspaces, links)", async () => {
    const app = await mkdtemp(join(tmpdir(), 'dgm-app-'));
    const pkg = join(app, 'node_modules', '@dgm', 'kernels');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(app, 'package.json'), '{"name":"app","private":true}');
    await writeFile(join(pkg, 'package.json'), '{"name":"@dgm/kernels","type":"module","exports":"./index.js"}');
    await writeFile(join(pkg, 'index.js'), 'export async function enableFastKernels() { return { threads: 7 }; }');
    const cwd = process.cwd();
    process.chdir(app);
    try {
      const result = await initBackend({ backend: 'cpu' });
      expect(result.fastKernels).toEqual({ enabled: true, detail: 'on (7 threads)' });
    } finally {
      process.chdir(cwd);
      await rm(app, { recursive: true, force: true });
    }
  });

  it('rejects an unknown choice with InvalidArgumentError', async () => {
    for (const choice of ['gpu', '', null, 'AUTO']) {
      const error = await initBackend({ backend: choice as never }).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain("must be one of 'auto', 'tensorflow', 'wasm', 'cpu', 'webgl', 'webgpu'");
    }
    const bare = await initBackend('cpu' as never).catch((e: unknown) => e);
    expect((bare as Error).message).toMatch(/expected an options object such as \{ backend: 'auto' \}, got "cpu"/);
  });

  it('refuses prototype keys and options of the wrong type with InvalidArgumentError (bad input → class, message)', async () => {
    const cases: [object, string][] = [
      [{ backend: 'toString' }, `must be one of 'auto', 'tensorflow', 'wasm', 'cpu', 'webgl', 'webgpu', got string "toString"`],
      [{ backend: 'constructor' }, 'got string "constructor"'],
      [{ backend: '__proto__' }, 'got string "__proto__"'],
      [{ backend: 'hasOwnProperty' }, 'got string "hasOwnProperty"'],
      [{ backend: 3 }, 'got number 3'],
      [{ backend: 'cpu', loaders: null }, 'loaders: expected an object of loader functions, got null'],
      [{ backend: 'cpu', loaders: { '@tensorflow/tfjs-backend-cpu': 'x' } }, 'loaders.@tensorflow/tfjs-backend-cpu: expected a function'],
      [{ backend: 'cpu', wasmPaths: 1 }, 'wasmPaths: expected a string, got number 1'],
      [{ backend: 'cpu', fastKernels: 'yes' }, 'fastKernels: expected boolean, got string "yes"'],
    ];
    for (const [options, fragment] of cases) {
      const error = await initBackend(options as never).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toContain(fragment);
    }
  });
});
