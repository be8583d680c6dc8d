import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// The app's own imports, as an app would write them.
import * as appTf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { currentBackend } from './backend.js';
import { InvalidArgumentError } from './errors.js';
import { assertSingleTfjsCore } from './single-tfjs-core.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('one tfjs-core', () => {
  it('a backend the app sets through its own tfjs-core import is the one @dgm/core sees', async () => {
    assertSingleTfjsCore({ tf: appTf });
    for (const name of ['cpu', 'wasm', 'cpu']) {
      expect(await appTf.setBackend(name)).toBe(true);
      expect(currentBackend()).toBe(name);
    }
  });

  it('assertSingleTfjsCore rejects a second copy and says how to fix it', () => {
    const secondCopy = { ...appTf, setBackend: async () => true, version_core: '4.21.0' };
    expect(() => assertSingleTfjsCore({ tf: secondCopy })).toThrow(InvalidArgumentError);
    expect(() => assertSingleTfjsCore({ tf: secondCopy })).toThrow(/the app's \(4\.21\.0\) and the one @dgm packages use \(4\.22\.0\)/);
    expect(() => assertSingleTfjsCore({ tf: {} })).toThrow(/expected \{ tf \}/);
    expect(() => assertSingleTfjsCore(undefined as never)).toThrow(InvalidArgumentError);
  });

  it('every workspace package resolves @tensorflow/tfjs-core to the same installed copy', () => {
    const dirs = ['packages', 'examples'].flatMap((group) => {
      try {
        return readdirSync(join(root, group)).map((name) => join(root, group, name));
      } catch {
        return [];
      }
    });
    const resolved = new Set<string>();
    for (const dir of dirs) {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
      const deps = { ...manifest['dependencies'], ...manifest['devDependencies'], ...manifest['peerDependencies'] };
      if (!('@tensorflow/tfjs-core' in deps)) continue;
      resolved.add(realpathSync(createRequire(join(dir, 'package.json')).resolve('@tensorflow/tfjs-core')));
    }
    expect(resolved.size).toBe(1);
    const copies = readdirSync(join(root, 'node_modules/.pnpm')).filter((d) => d.startsWith('@tensorflow+tfjs-core@'));
    expect(copies).toHaveLength(1);
  });
});
