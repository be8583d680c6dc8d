// Bundles each package's main entry for the browser and fails on anything that needs Node:
// a Node built-in (node:fs, path, …) or a package that only runs in Node. The tfjs packages
// are peer dependencies of every package: the app brings them, so they stay out of the bundle.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const nodeOnlyPackages = ['cli-progress', 'tar', 'pngjs', 'minizlib', 'fs-minipass', 'chownr', 'mkdirp', 'graceful-fs'];

function nodeOnly(specifier) {
  if (nodeBuiltins.has(specifier) || specifier.startsWith('node:')) return 'a Node built-in';
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  return nodeOnlyPackages.includes(name) ? 'a Node-only package' : undefined;
}

/** What the browser bundle of `pkg`'s main entry imports that needs Node, as "specifier (what, from importer)". */
async function nodeImportsOf(pkg) {
  const entry = join(root, 'packages', pkg, 'dist/index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run pnpm build first`);
  const found = [];
  const detectNode = {
    name: 'detect-node',
    setup(bundle) {
      bundle.onResolve({ filter: /.*/ }, ({ path, importer }) => {
        const what = nodeOnly(path);
        if (what === undefined) return undefined;
        found.push(`${path} (${what}, from ${importer.replace(`${root}/`, '')})`);
        return { path, external: true };
      });
    },
  };
  await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    external: ['@tensorflow/*'],
    plugins: [detectNode],
    logLevel: 'silent',
  });
  return found;
}

describe('each main entry bundles for the browser without Node', () => {
  it.each(['core', 'kernels', 'data', 'losses', 'models', 'metrics', 'trainers', 'cli', 'sweep'])('@dgm/%s', async (pkg) => {
    expect(await nodeImportsOf(pkg)).toEqual([]);
  });
});
