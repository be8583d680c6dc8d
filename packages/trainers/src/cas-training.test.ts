import { initBackend, InvalidArgumentError, type Progress } from '@dgm/core';
import { subset } from '@dgm/data';
import { loadMnist } from '@dgm/data/node';
import { computeCas } from '@dgm/metrics';
import { createClassifier } from '@dgm/models';
import { beforeAll, expect, it } from 'vitest';
import { casTraining } from './cas-training.js';
import { toyShapes } from './toy.test-helper.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

it("casTraining trains computeCas's classifier with trainClassifier and reports its settings", async () => {
  const model = createClassifier({ imageShape: [28, 28, 1], numClasses: 3, filters: 4, batchNormMomentum: 0.8, seed: 0 });
  const train = casTraining({ epochs: 8, batchSize: 12, optimizer: { learningRate: 3e-3 }, schedule: 'constant' });
  const cas = await computeCas({ generated: toyShapes(48, 1), real: toyShapes(30, 2), model, train, id: 'tiny' });
  model.dispose();
  expect(cas.value).toBeGreaterThan(0.9);
  expect(cas.name).toBe('cas48-tiny');
  expect(cas.protocol.settings).toEqual({ epochs: 8, batchSize: 12, seed: 0 });
});

it("computeCas's default classifier learns from a short casTraining: real MNIST digits as the 'generated' set score far above chance", async () => {
  const first = (n: number) => Array.from({ length: n }, (_, i) => i);
  const generated = subset(await loadMnist({ split: 'train' }), first(1500));
  const real = subset(await loadMnist({ split: 'test' }), first(500));
  // 60 steps at batch 128: batch-norm statistics that move too slowly (momentum 0.99) left the classifier at chance on real images.
  const cas = await computeCas({ generated, real, train: casTraining() });
  expect(cas.value).toBeGreaterThan(0.7);
});

it("casTraining reports computeCas's training steps as 'cas training', then computeCas its evaluation", async () => {
  const model = createClassifier({ imageShape: [28, 28, 1], numClasses: 3, filters: 4, seed: 0 });
  const calls: Progress[] = [];
  const seenByOwnCallback: number[] = [];
  const own = { onBatchEnd: (step: number) => void seenByOwnCallback.push(step) };
  const train = casTraining({ epochs: 2, batchSize: 12, callbacks: [own] });
  await computeCas({ generated: toyShapes(24, 1), real: toyShapes(10, 2), model, train, onProgress: (p) => void calls.push(p) });
  model.dispose();
  expect(calls).toEqual([
    ...[1, 2, 3, 4].map((done) => ({ stage: 'cas training', done, total: 4 })),
    { stage: 'cas evaluation', done: 10, total: 10 },
  ]);
  expect(seenByOwnCallback).toEqual([1, 2, 3, 4]); // the settings' own callbacks still run
  await expect(casTraining()({ model, data: toyShapes(12, 1), seed: 0, onProgress: 1 as never })).rejects.toThrow(InvalidArgumentError);
});
