import * as tf from '@tensorflow/tfjs-core';
import { imageGrid } from '@dgm/data';
import { generate, loadGan, saveGan, type Gan } from '@dgm/models';
import { indexedDbStore } from '@dgm/trainers';
import { loadMnistSplit } from './assets.js';
import { useBackend, type BackendSettings, type PageBackend } from './backends.js';
import { classAccuracy, fidOfImages } from './scoring.js';
import { LiveTraining } from './training.js';

/** What the browser tests and `pnpm bench browser` call in the page (window.dgmPage). */
export interface PageApi {
  readonly isolated: boolean;
  /** Trains a fresh small DCGAN `steps` steps: the backend used, each step's losses and ms, and a checksum of the sample grid before and after. */
  trainSteps(backend: PageBackend, steps: number, options?: BackendSettings & { filters?: number }): Promise<TrainedSteps>;
  /** GAN-test of the shipped conditional GAN by mnist-cnn, per class (`labelShift` scores against the wrong class). */
  pretrainedAccuracy(perClass: number, labelShift?: number): Promise<readonly number[]>;
  /** FID of MNIST's first `count` test images against mnist-cnn's train statistics, on the stock cpu backend. */
  fixedSetFid(count: number): Promise<number>;
  /** Samples before a checkpoint (of a run kept in IndexedDB) goes to bytes and after it is loaded into another run. */
  checkpointRoundTrip(steps: number): Promise<{ readonly before: number[]; readonly after: number[]; readonly bytes: number }>;
  /** With `steps`, trains a new run kept in IndexedDB that many steps; without, takes up the kept run (as after a reload): its step and samples. */
  keptRun(steps?: number): Promise<{ readonly step: number; readonly samples: number[] }>;
  /** Samples of the shipped GAN, and of its copy saved to IndexedDB (tf.io's handler) and loaded back. */
  savedModelRoundTrip(): Promise<{ readonly before: number[]; readonly after: number[] }>;
}

export interface TrainedSteps {
  readonly backend: string;
  readonly reason: string;
  readonly dLosses: number[];
  readonly gLosses: number[];
  readonly stepMs: number[];
  readonly gridBefore: number;
  readonly gridAfter: number;
}

declare global {
  interface Window {
    dgmPage?: PageApi;
  }
}

const testData = () => loadMnistSplit('test');

/** A checksum of a sample grid's pixels, so that the tests see that it changes. */
async function gridChecksum(training: LiveTraining): Promise<number> {
  const images = training.samples(16);
  try {
    return (await imageGrid({ images })).pixels.reduce((sum, p, i) => (sum + p * ((i % 251) + 1)) % 1_000_000_007, 0);
  } finally {
    images.dispose();
  }
}

async function trainSteps(backend: PageBackend, steps: number, { filters = 32, ...settings }: BackendSettings & { filters?: number } = {}): Promise<TrainedSteps> {
  const { backend: used, reason } = await useBackend(backend, settings);
  const training = new LiveTraining(await testData(), 'dcgan', undefined, 0, filters);
  const result = { backend: used as string, reason, dLosses: [] as number[], gLosses: [] as number[], stepMs: [] as number[] };
  const gridBefore = await gridChecksum(training);
  await training.run(steps, ({ dLoss, gLoss, stepsPerSecond }) => {
    result.dLosses.push(dLoss);
    result.gLosses.push(gLoss);
    result.stepMs.push(1000 / stepsPerSecond);
  });
  const gridAfter = await gridChecksum(training);
  training.dispose();
  return { ...result, gridBefore, gridAfter };
}

const sampleValues = (training: LiveTraining) => tf.tidy(() => Array.from(training.samples(4).dataSync()));

/** A training on the cpu whose checkpoints go to the IndexedDB run `name`, emptied first when `fresh`. */
async function trainingInIndexedDb(name: string, fresh: boolean, seed = 0): Promise<LiveTraining> {
  await useBackend('cpu');
  const store = indexedDbStore({ name });
  if (fresh) await store.clear!();
  return new LiveTraining(await testData(), 'cgan', store, seed);
}

async function checkpointRoundTrip(steps: number) {
  const training = await trainingInIndexedDb('page-test-download', true);
  await training.run(steps, () => undefined);
  const before = sampleValues(training);
  const bytes = await training.checkpointFile();
  training.dispose();
  const reloaded = await trainingInIndexedDb('page-test-upload', false, 7);
  await reloaded.restore(bytes);
  const after = sampleValues(reloaded);
  reloaded.dispose();
  return { before, after, bytes: bytes.length };
}

async function keptRun(steps?: number) {
  const training = await trainingInIndexedDb('page-test-kept', steps !== undefined, 7);
  if (steps === undefined) await training.resumeStored();
  else await training.run(steps, () => undefined);
  const kept = { step: training.step, samples: sampleValues(training) };
  training.dispose();
  return kept;
}

async function savedModelRoundTrip(gan: Gan) {
  const sample = (g: Gan) => {
    const { images } = generate({ gan: g, count: 4, seed: 1 });
    const values = Array.from(images.dataSync());
    images.dispose();
    return values;
  };
  await saveGan({ url: 'indexeddb://dgm-page-test', gan });
  const copy = await loadGan({ url: 'indexeddb://dgm-page-test' });
  const result = { before: sample(gan), after: sample(copy) };
  copy.generator.dispose();
  copy.discriminator.dispose();
  return result;
}

/** Exposes the page's API once its start-up (the pre-trained GAN on webgl) has settled: no two backend switches overlap. */
export function exposePageApi(pretrained: Promise<Gan>): void {
  const settled = pretrained.then(() => undefined, () => undefined);
  const after = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => async (...args: A) => (await settled, f(...args));
  window.dgmPage = {
    isolated: crossOriginIsolated,
    trainSteps: after(trainSteps),
    // On wasm + @dgm/kernels: software WebGL (SwiftShader, in headless Chromium) takes a minute for it.
    pretrainedAccuracy: after(async (perClass: number, labelShift = 0) => {
      await useBackend('wasm');
      return classAccuracy(await pretrained, perClass, labelShift);
    }),
    fixedSetFid: after(async (count: number) => {
      await useBackend('cpu', { fastKernels: false });
      return fidOfImages(await testData(), count);
    }),
    checkpointRoundTrip: after(checkpointRoundTrip),
    keptRun: after(keptRun),
    savedModelRoundTrip: after(async () => savedModelRoundTrip(await pretrained)),
  };
}
