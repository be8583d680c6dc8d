import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@dgm/core';
import { parseDataSpec } from './data-source.js';
import { applySets, readConfigFile, resolveTrainConfig } from './train-config.js';

describe('train config', () => {
  it('reads YAML and JSON to the same settings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dgm-config-'));
    writeFileSync(join(dir, 'a.yaml'), 'model: cgan\ndata: mnist\nrecipe:\n  loss: hinge\n  optimizers: { generator: { learningRate: 0.0001 } }\n');
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ model: 'cgan', data: 'mnist', recipe: { loss: 'hinge', optimizers: { generator: { learningRate: 0.0001 } } } }));
    expect(await readConfigFile(join(dir, 'a.yaml'))).toEqual(await readConfigFile(join(dir, 'a.json')));
    writeFileSync(join(dir, 'list.yaml'), '- model\n');
    await expect(readConfigFile(join(dir, 'list.yaml'))).rejects.toThrow(/expected a mapping of settings, got a list/);
    await expect(readConfigFile(join(dir, 'missing.yaml'))).rejects.toThrow(InvalidArgumentError);
  });

  it('--set writes dotted keys with YAML values, after the file and the flags', () => {
    expect(applySets({ recipe: { loss: 'hinge' } }, ['recipe.optimizers.generator.learningRate=1e-4', 'modelOptions.generatorFilters=32', 'recipe.ema=false', 'imageShape=[64, 64, 3]'])).toEqual({
      recipe: { loss: 'hinge', optimizers: { generator: { learningRate: 1e-4 } }, ema: false },
      modelOptions: { generatorFilters: 32 },
      imageShape: [64, 64, 3],
    });
    const config = resolveTrainConfig([{ model: 'dcgan', data: 'mnist', steps: 5 }, { steps: 7 }], ['seed=3']);
    expect(config).toMatchObject({ model: 'dcgan', steps: 7, seed: 3, backend: 'auto', checkpointEvery: 500, modelOptions: {}, recipe: {} });
    expect(() => applySets({}, ['__proto__.polluted=1'])).toThrow('--set: bad setting path "__proto__.polluted"');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('names the field that is wrong', () => {
    expect(() => resolveTrainConfig([{ model: 'dcgan', data: 'mnist' }], ['batchSize=0'])).toThrow('config: batchSize: expected ≥ 1, got number 0');
    expect(() => resolveTrainConfig([{ model: 'dcgan', data: 'mnist', imageShape: [32, 32, 2] }], [])).toThrow('config: imageShape[2]: expected one of 1, 3, 4, got number 2');
    expect(() => resolveTrainConfig([{ data: 'mnist' }], [])).toThrow(/^config: model: expected one of "dcgan", .*, got undefined$/);
  });

  it('--data takes the built-in sets and folders', () => {
    expect(parseDataSpec('mnist')).toEqual({ kind: 'mnist' });
    expect(parseDataSpec('cifar10')).toEqual({ kind: 'cifar10', dir: undefined });
    expect(parseDataSpec('cifar10:/data/c:10')).toEqual({ kind: 'cifar10', dir: '/data/c:10' });
    expect(parseDataSpec('folder:imgs')).toEqual({ kind: 'folder', dir: 'imgs' });
    for (const bad of ['folder', 'folder:', 'mnist:x', 'imagenet']) expect(() => parseDataSpec(bad), bad).toThrow(InvalidArgumentError);
  });
});
