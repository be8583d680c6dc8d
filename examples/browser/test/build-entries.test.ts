import { fileURLToPath } from 'node:url';
import { build, type Rollup } from 'vite';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every module the page's bundle holds, by building it in memory with the example's own Vite config. */
async function bundledModules(): Promise<{ modules: string[]; plugins: string[] }> {
  const plugins: string[] = [];
  const output = (await build({
    root,
    logLevel: 'silent',
    build: { write: false },
    plugins: [{ name: 'list-plugins', configResolved: (config) => void plugins.push(...config.plugins.map((p) => p.name)) }],
  })) as Rollup.RollupOutput;
  const modules = output.output.flatMap((chunk) => (chunk.type === 'chunk' ? chunk.moduleIds : []));
  return { modules, plugins };
}

describe('the page bundle', () => {
  it("holds the packages' browser entries only, with no Node polyfills", async () => {
    const { modules, plugins } = await bundledModules();
    const dgm = modules.filter((id) => /[/\\]packages[/\\][a-z]+[/\\]dist[/\\]/.test(id));
    expect(dgm.length).toBeGreaterThan(20);
    expect(dgm.filter((id) => /[/\\]dist[/\\]node[/\\]/.test(id))).toEqual([]);
    // Node built-ins, or the browser shims of them that polyfill plugins bring.
    const nodeShims = /node_modules[/\\](buffer|process|events|util|path-browserify|os-browserify|stream-browserify|crypto-browserify|vite-plugin-node-polyfills)[/\\]/;
    expect(modules.filter((id) => id.startsWith('node:') || /^\0?(fs|path|os|worker_threads|module|url)$/.test(id) || nodeShims.test(id))).toEqual([]);
    expect(plugins.filter((name) => !name.startsWith('vite:') && /polyfill|node-stdlib/i.test(name))).toEqual([]);
  });
});
