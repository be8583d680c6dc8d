import '@tensorflow/tfjs-backend-cpu';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePng, fromArrays } from '@dgm/data';
import { computeGanTest } from '@dgm/metrics';
import { loadExtractor } from '@dgm/metrics/node';
import { dgm, scratch, tiny } from './cli.test-helper.js';
import { shippedCganRun } from './shipped-cgan.test-helper.js';

/** The PNGs of a folder, as one [n, 28, 28, 1] uint8 array in file order. */
function readPngs(dir: string): { images: Uint8Array; count: number; files: string[] } {
  const files = readdirSync(dir).sort();
  const images = new Uint8Array(files.length * 784);
  files.forEach((file, i) => images.set(decodePng(new Uint8Array(readFileSync(join(dir, file))), 1).pixels, i * 784));
  return { images, count: files.length, files };
}

describe('dgm sample', () => {
  let cganRun: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    cganRun = await shippedCganRun();
  });

  it('--class K gives images of class K (mnist-cnn reads them so), and not of another class', async () => {
    const outDir = join(scratch(), 'sevens');
    const outcome = await dgm(['sample', '--run', cganRun, '--class', '7', '--n', '40', '--out-dir', outDir, '--seed', '3']);
    expect(outcome.code, outcome.stderr).toBe(0);
    const { images, count, files } = readPngs(outDir);
    expect(count).toBe(40);
    expect(files.every((file) => file.endsWith('-class-7.png'))).toBe(true);
    const classifier = await loadExtractor({ name: 'mnist-cnn' });
    const asked = (label: number) => fromArrays({ images, shape: [28, 28, 1], labels: new Array<number>(count).fill(label), classNames: [...'0123456789'] });
    expect((await computeGanTest({ classifier, generated: asked(7) })).value).toBeGreaterThanOrEqual(0.9);
    expect((await computeGanTest({ classifier, generated: asked(1) })).value).toBeLessThan(0.1);
    // By name (the data's class names) too, with the same latents: the same images.
    const byName = join(scratch(), 'by-name');
    expect((await dgm(['sample', '--run', cganRun, '--class', '7', '--n', '40', '--out-dir', byName, '--seed', '3'])).code).toBe(0);
    expect(readPngs(byName).images).toEqual(images);
    classifier.model.dispose();
  });

  it('writes one grid by default, seeded: the same seed gives the same PNG, another seed another', async () => {
    const dir = scratch();
    const grid = (seed: number, out: string) => dgm(['sample', '--run', cganRun, '--n', '20', '--seed', String(seed), '--out', out], { cwd: dir });
    expect((await grid(1, 'a.png')).code).toBe(0);
    expect((await grid(1, 'b.png')).code).toBe(0);
    expect((await grid(2, 'c.png')).code).toBe(0);
    const png = (name: string) => decodePng(new Uint8Array(readFileSync(join(dir, name))));
    expect(png('a.png').pixels).toEqual(png('b.png').pixels);
    expect(png('a.png').pixels).not.toEqual(png('c.png').pixels);
    // 20 images in the grid's near-square layout of 28-pixel tiles with 2-pixel padding.
    expect(png('a.png').width % 30).toBe(2);
  });

  it('refuses --class for an unconditional model, a missing run and --ema without an EMA generator, with exit code 2', async () => {
    const runDir = join(scratch(), 'dcgan');
    expect((await dgm(['train', '--model', 'dcgan', '--data', 'mnist', '--steps', '1', '--run-dir', runDir, ...tiny, '--set', 'recipe.ema=false'])).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [['sample', '--run', runDir, '--class', '3'], /^dgm: sample: --class: dcgan is not conditional/m],
      [['sample', '--run', runDir, '--ema'], /^dgm: sample: --ema: the run at .* kept no EMA generator/m],
      [['sample', '--run', join(runDir, 'nothing-here')], /^dgm: --run .*nothing-here does not exist/m],
      [['sample', '--run', cganRun, '--class', 'eleven'], /eleven/],
      [['sample', '--run', runDir, '--out', 'a.png', '--out-dir', 'b'], /give --out \(a grid\) or --out-dir/],
    ];
    for (const [args, message] of cases) {
      const outcome = await dgm(args);
      expect(outcome.code, args.join(' ')).toBe(2);
      expect(outcome.stderr).toMatch(message);
    }
    expect((await dgm(['sample', '--run', runDir, '--no-ema', '--n', '4'])).code).toBe(0);
  });
});
