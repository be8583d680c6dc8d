import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, it } from 'vitest';
import { createClassifier } from './classifier.js';
import { supportedImageShapes } from './architecture.js';
import { createModel, vaeModelNames, type ModelName, type VaeModelName } from './registry.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('the parameter counts in the README are those of the models', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const table = readme.split('<!-- parameter-counts')[1]!.split('\n\n')[0]!;
  const rows = [...table.matchAll(/^\| `([a-z-]+)` \| (\d+)×(\d+)×(\d+) \| ([\d,]+) \| ([\d,]+) \|$/gm)];
  expect(rows).toHaveLength(19);
  for (const [, name, h, w, c, g, d] of rows) {
    const gan = createModel(name as ModelName, { imageShape: [Number(h), Number(w), Number(c)], numClasses: 10 } as never);
    expect([gan.generator.countParams(), gan.discriminator.countParams()], `${name} ${h}×${w}×${c}`).toEqual([g, d].map((n) => Number(n!.replaceAll(',', ''))));
    gan.generator.dispose();
    gan.discriminator.dispose();
  }
});

it('the VAE parameter counts in the README are those of the models', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const table = readme.split('<!-- vae-parameter-counts')[1]!.split('\n\n')[0]!;
  const rows = [...table.matchAll(/^\| `([a-z]+)` \| (\d+)×(\d+)×(\d+) \| ([\d,]+) \| ([\d,]+) \|$/gm)];
  expect(rows.map(([, name, h, w, c]) => `${name} ${h}×${w}×${c}`)).toEqual(vaeModelNames.flatMap((name) => supportedImageShapes.map((s) => `${name} ${s.join('×')}`)));
  // The README says the Gaussian decoder has the Bernoulli one's parameters.
  for (const [[, name, h, w, c, encoder, decoder], kind] of rows.flatMap((row) => (['bernoulli', 'gaussian'] as const).map((kind) => [row, kind] as const))) {
    const vae = createModel(name as VaeModelName, { imageShape: [Number(h), Number(w), Number(c)], decoder: kind, ...(name === 'cvae' ? { numClasses: 10 } : {}) } as never);
    expect([vae.encoder.countParams(), vae.decoder.countParams()], `${name} ${h}×${w}×${c} ${kind}`).toEqual([encoder, decoder].map((n) => Number(n!.replaceAll(',', ''))));
    vae.encoder.dispose();
    vae.decoder.dispose();
  }
});

it('the classifier parameter counts in the README are those of the models', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const counts = (s: string) => Number(s.replaceAll(',', ''));
  const [, at28, at32] = readme.match(/`probabilities`, the model's output \(`classifierLayers` names them\)\. ([\d,]+) parameters at\n28×28×1 with the defaults, ([\d,]+) at 32×32×3/)!;
  for (const [shape, expected] of [[[28, 28, 1], at28], [[32, 32, 3], at32], [[64, 64, 3], at32]] as const) {
    const model = createClassifier({ imageShape: shape as [number, number, number] });
    expect(model.countParams(), shape.join('×')).toBe(counts(expected!));
    model.dispose();
  }
});
