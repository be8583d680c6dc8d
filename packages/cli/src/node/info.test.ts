import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createModel, modelNames, vaeModelNames } from '@dgm/models';
import { dgm } from './cli.test-helper.js';

describe('dgm info and dgm models', () => {
  it('info says which backend auto picks and why, with each package tried, fast kernels and versions', async () => {
    const outcome = await dgm(['info']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^auto picks: wasm \(@tensorflow\/tfjs-backend-wasm\)$/m);
    expect(outcome.stdout).toMatch(/^ {2}@tensorflow\/tfjs-node: missing \(not installed\)$/m);
    expect(outcome.stdout).toMatch(/^fastKernels: on \(\d threads?\)$/m);
    expect(outcome.stdout).toMatch(new RegExp(`^tfjs: ${tf.version_core.replace(/\./g, '\\.')}$`, 'm'));
    expect(outcome.stdout).toMatch(/^cores: \d+$/m);
  });

  it('models lists every registered model with the parameter counts createModel gives', async () => {
    const outcome = await dgm(['models']);
    expect(outcome.code).toBe(0);
    const rows = outcome.stdout.trim().split('\n').slice(1);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual([...modelNames, ...vaeModelNames]);
    await tf.setBackend('cpu');
    const gan = createModel('cgan', { imageShape: [28, 28, 1], numClasses: 10 });
    const cgan = rows.find((row) => row.startsWith('cgan '))!;
    expect(cgan).toContain(`G ${gan.generator.countParams().toLocaleString('en')}, D ${gan.discriminator.countParams().toLocaleString('en')}`);
    gan.generator.dispose();
    gan.discriminator.dispose();
  });

  it('every command has --help with an example, and --help exits with 0', async () => {
    for (const command of ['train', 'sample', 'eval', 'report', 'info', 'models']) {
      const outcome = await dgm([command, '--help']);
      expect(outcome.code, command).toBe(0);
      expect(outcome.stdout, command).toMatch(new RegExp(`Example:\\n {2}dgm ${command}`));
    }
    expect((await dgm(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const unknown = await dgm(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
