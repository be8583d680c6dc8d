import '@tensorflow/tfjs-layers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { subset } from '@dgm/data';
import { loadMnist } from '@dgm/data/node';
import { computeCas, evaluateImages, ganSampler, sampleGan } from '@dgm/metrics';
import { loadExtractor } from '@dgm/metrics/node';
import { casTraining } from '@dgm/trainers';
import { loadRun } from '@dgm/trainers/node';
import { startBackend } from './backend.js';
import { dgm, scratch, tiny } from './cli.test-helper.js';
import { shippedCganRun } from './shipped-cgan.test-helper.js';

describe('dgm eval', () => {
  let runDir: string;
  beforeAll(async () => {
    // The backend dgm picks (wasm and @dgm/kernels), so that the same computation gives the same numbers.
    await startBackend();
    runDir = join(scratch(), 'run');
    expect((await dgm(['train', '--model', 'dcgan', '--data', 'mnist', '--steps', '3', '--run-dir', runDir, ...tiny])).code).toBe(0);
  });

  it('gives the numbers evaluateImages gives on the same images (EMA generator, the first N test images), and appends them to eval.jsonl', async () => {
    const outcome = await dgm(['eval', '--run', runDir, '--metrics', 'fid,kid', '--samples', '60', '--reference', 'test', '--seed', '4', '--json']);
    expect(outcome.code, outcome.stderr).toBe(0);
    const printed = JSON.parse(outcome.stdout) as { step: number; generator: string; results: { name: string; value: number }[] };
    expect(printed).toMatchObject({ step: 3, generator: 'ema' });
    expect(printed.results.map((r) => r.name)).toEqual(['fid60-mnist-cnn', 'kid60-mnist-cnn']);

    await expectNoLeakedTensors(async () => {
      const run = await loadRun({ dir: runDir });
      const extractor = await loadExtractor({ name: 'mnist-cnn' });
      const test = await loadMnist({ split: 'test' });
      const expected = await evaluateImages({
        extractor,
        generated: ganSampler({ gan: run.gan, generator: run.ema!, count: 60, seed: 4 }),
        reference: subset(test, Array.from({ length: 60 }, (_, i) => i)),
        metrics: ['fid', 'kid'],
      });
      expect(printed.results.map((r) => r.value)).toEqual(expected.map((r) => r.value));
      for (const model of [run.gan.generator, run.gan.discriminator, run.ema!, extractor.model]) model.dispose();
    });

    const table = await dgm(['eval', '--run', runDir, '--samples', '50', '--no-ema']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^step 3, generator, 50 samples, reference train$/m);
    expect(table.stdout).toMatch(/^fid50-mnist-cnn +\d+\.\d{4}$/m);
    const lines = readFileSync(join(runDir, 'eval.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { generator: string }).generator)).toEqual(['ema', 'generator']);
  });

  it('scores a conditional model by GAN-test, and by CAS as computeCas does on the same samples', async () => {
    const cgan = await shippedCganRun();
    const outcome = await dgm(['eval', '--run', cgan, '--metrics', 'gan-test,cas', '--samples', '400', '--seed', '2', '--json']);
    expect(outcome.code, outcome.stderr).toBe(0);
    const { results } = JSON.parse(outcome.stdout) as { results: { name: string; value: number; perClass: number[] }[] };
    const [ganTest, cas] = results;
    expect(ganTest!.name).toBe('gantest400-mnist-cnn');
    expect(ganTest!.value).toBeGreaterThanOrEqual(0.95);
    expect(cas!.name).toBe('cas400-cnn');
    // CAS is low for this generator (each class's samples are nearly one image); what matters here is that the command computes it as the library does.
    await expectNoLeakedTensors(async () => {
      const run = await loadRun({ dir: cgan });
      const generated = await sampleGan({ gan: run.gan, generator: run.ema!, count: 400, seed: 2 });
      const expected = await computeCas({ generated, real: await loadMnist({ split: 'test' }), train: casTraining(), seed: 2 });
      expect(cas!.value).toBe(expected.value);
      expect(cas!.perClass).toEqual(expected.perClass);
      for (const model of [run.gan.generator, run.gan.discriminator, run.ema!]) model.dispose();
    });
    // Two CAS trainings and evaluations on the 10,000 test images: a minute beside the other packages' tests.
  }, 180_000);

  it('refuses what it cannot score with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['eval', '--run', runDir, '--metrics', 'fid,bleu'], /--metrics: expected a comma-separated list of fid, kid, is, pr, cas, gan-test, got "fid,bleu"/],
      [['eval', '--run', runDir, '--metrics', 'cas'], /cas and gan-test need a conditional model; dcgan takes no class/],
      [['eval', '--run', runDir, '--metrics', 'kid', '--reference', 'stats.bin'], /a statistics file serves FID only/],
      [['eval', '--run', join(runDir, 'checkpoints')], /holds no run\.json/],
    ];
    for (const [args, message] of cases) {
      const outcome = await dgm(args);
      expect(outcome.code, args.join(' ')).toBe(2);
      expect(outcome.stderr).toMatch(message);
    }
  });
});
