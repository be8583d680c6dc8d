import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { expectFailureWithoutLeaks, expectNoLeakedTensors } from '@dgm/core/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createModel } from '../registry.js';
import { fileSystemHandler } from './file-system-handler.js';
import { loadGan, saveGan } from './save-gan.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let root: string;
/** A saved GAN's folder, and a folder beside it that no load may read from. */
let dir: string;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dgm-contain-'));
  [dir, outside] = [join(root, 'gan'), join(root, 'outside')];
  await mkdir(outside);
  const gan = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 4, discriminatorFilters: 4 });
  await saveGan({ dir, gan });
  gan.generator.dispose();
  gan.discriminator.dispose();
});
afterEach(() => rm(root, { recursive: true, force: true }));

const generatorDir = () => join(dir, 'generator');
const weightsFile = async () => (await readdir(generatorDir())).find((f) => f.endsWith('.bin'))!;
async function setWeightPaths(paths: string[]): Promise<void> {
  const path = join(generatorDir(), 'model.json');
  const json = JSON.parse(await readFile(path, 'utf8'));
  json.weightsManifest[0].paths = paths;
  await writeFile(path, JSON.stringify(json));
}

/** The three ways a model folder is read; each must fail with a CheckpointError containing `fragment` and leave no tensor. */
async function expectRefusedOnAllLoadPaths(fragment: string | RegExp): Promise<void> {
  const paths: [string, () => Promise<unknown>][] = [
    ['fileSystemHandler().load()', () => fileSystemHandler({ dir: generatorDir() }).load!()],
    ['tfl.loadLayersModel(fileSystemHandler())', () => tfl.loadLayersModel(fileSystemHandler({ dir: generatorDir() }))],
    ['loadGan', () => loadGan({ dir })],
  ];
  for (const [name, load] of paths) {
    let error: unknown;
    await expectNoLeakedTensors(async () => {
      error = await load().then(
        () => undefined,
        (e: unknown) => e,
      );
    });
    expect(CheckpointError.isInstance(error), `${name}: ${String(error)}`).toBe(true);
    expect((error as Error).message, name).toMatch(fragment);
  }
}

describe('loaders refuse files that leave the model folder through a symlink', () => {
  it('a weights file linked to /etc/passwd', async () => {
    await symlink('/etc/passwd', join(generatorDir(), 'w.bin'));
    await setWeightPaths(['w.bin']);
    await expectRefusedOnAllLoadPaths(/weight path "w\.bin" resolves to \/etc\/passwd, outside the model's folder/);
  });

  it('a weights file linked to a correctly sized file outside the folder', async () => {
    const file = await weightsFile();
    await rename(join(generatorDir(), file), join(outside, file));
    await symlink(join(outside, file), join(generatorDir(), file));
    await expectRefusedOnAllLoadPaths(`weight path ${JSON.stringify(file)} resolves to ${join(outside, file)}, outside the model's folder`);
  });

  it('a weights file in a symlinked subfolder', async () => {
    const file = await weightsFile();
    await mkdir(join(outside, 'sub'));
    await rename(join(generatorDir(), file), join(outside, 'sub', file));
    await symlink(join(outside, 'sub'), join(generatorDir(), 'sub'));
    await setWeightPaths([`sub/${file}`]);
    await expectRefusedOnAllLoadPaths(`resolves to ${join(outside, 'sub', file)}, outside the model's folder`);
  });

  it('a model.json linked outside the folder', async () => {
    await rename(join(generatorDir(), 'model.json'), join(outside, 'model.json'));
    await symlink(join(outside, 'model.json'), join(generatorDir(), 'model.json'));
    await expectRefusedOnAllLoadPaths("model.json resolves to");
  });

  it('a gan.json linked outside the folder (loadGan)', async () => {
    await rename(join(dir, 'gan.json'), join(outside, 'gan.json'));
    await symlink(join(outside, 'gan.json'), join(dir, 'gan.json'));
    const error = await loadGan({ dir }).catch((e: unknown) => e);
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(`resolves to ${join(outside, 'gan.json')}, outside the folder`);
  });

  it('a dangling symlink and a folder named like the weights file are typed errors', async () => {
    await symlink(join(outside, 'missing.bin'), join(generatorDir(), 'w.bin'));
    await setWeightPaths(['w.bin']);
    await expectRefusedOnAllLoadPaths(/cannot read .*w\.bin: ENOENT/);
    await mkdir(join(generatorDir(), 'd.bin'));
    await setWeightPaths(['d.bin']);
    await expectRefusedOnAllLoadPaths(/weight path "d\.bin" is not a file/);
  });

  it('still loads links that stay inside the folder, and a model folder that is itself a link', async () => {
    const file = await weightsFile();
    await copyFile(join(generatorDir(), file), join(generatorDir(), 'copy.bin'));
    await symlink('copy.bin', join(generatorDir(), 'w.bin'));
    await setWeightPaths(['w.bin']);
    const linked = join(root, 'linked');
    await symlink(dir, linked);
    const gan = await loadGan({ dir: linked });
    expect(gan.generator.outputs[0]!.shape).toEqual([null, 28, 28, 1]);
    gan.generator.dispose();
    gan.discriminator.dispose();
  });
});

describe('bad options and manifests of the Node loaders', () => {
  it('are typed errors, and a failed loadGan leaves no tensor', async () => {
    const cases: [string, () => unknown, typeof InvalidArgumentError | typeof CheckpointError, string][] = [
      ['loadGan()', () => loadGan(undefined as never), InvalidArgumentError, 'loadGan: expected an options object, got undefined'],
      ['loadGan dir a number', () => loadGan({ dir: 3 } as never), InvalidArgumentError, 'loadGan: dir: expected string, got number 3'],
      ['loadGan dir empty', () => loadGan({ dir: '' }), InvalidArgumentError, 'loadGan: dir: expected a folder path, got string ""'],
      ['saveGan without a gan', () => saveGan({ dir } as never), InvalidArgumentError, 'saveGan: gan: expected object, got undefined'],
      ['saveGan with a gan without models', () => saveGan({ dir, gan: { spec: {} } } as never), InvalidArgumentError, 'saveGan: gan.generator: expected a tf.LayersModel, got undefined'],
      ['fileSystemHandler()', () => fileSystemHandler(undefined as never), InvalidArgumentError, 'fileSystemHandler: expected an options object, got undefined'],
      ['fileSystemHandler({})', () => fileSystemHandler({} as never), InvalidArgumentError, 'fileSystemHandler: dir: expected string, got undefined'],
      ['loadGan of a missing folder', () => loadGan({ dir: join(root, 'nowhere') }), CheckpointError, 'cannot read'],
    ];
    for (const [, call, error, message] of cases) await expectFailureWithoutLeaks(call, { error, message });
  });

  it('gan.json containing null, or a spec missing fields, is a CheckpointError', async () => {
    await writeFile(join(dir, 'gan.json'), 'null');
    await expect(loadGan({ dir })).rejects.toThrow(/gan\.json: not a saved GAN: expected an object \{ format, spec \}, got null/);
    await writeFile(join(dir, 'gan.json'), JSON.stringify({ format: 'dgm-gan/1', spec: { family: 'dcgan', name: 'dcgan' } }));
    const error = await loadGan({ dir }).catch((e: unknown) => e);
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/gan\.json: spec: imageShape: expected array, got undefined/);
  });

  it('a model.json containing null is a CheckpointError', async () => {
    await writeFile(join(generatorDir(), 'model.json'), 'null');
    await expectRefusedOnAllLoadPaths(/no weightsManifest \(expected a tfjs model\.json object, got null\)/);
  });

  it('a loadGan whose models do not match the spec disposes what it loaded', async () => {
    const path = join(dir, 'gan.json');
    const saved = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...saved, spec: { ...saved.spec, latentDim: 7 } }));
    await expectNoLeakedTensors(async () => {
      await expect(loadGan({ dir })).rejects.toThrow(/does not match its spec/);
    });
  });
});
