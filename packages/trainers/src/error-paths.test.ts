import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CheckpointError, initBackend, InvalidArgumentError, ShapeMismatchError, TrainingError } from '@dgm/core';
import { expectFailureWithoutLeaks, type ErrorClass } from '@dgm/core/testing';
import { fromArrays } from '@dgm/data';
import { createClassifier, type Gan } from '@dgm/models';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { memoryStore, type CheckpointStore } from './checkpoint-store.js';
import { fileSystemStore } from './node/file-system-store.js';
import { disposeGan, tinyGan, toyData, toyShapes } from './toy.test-helper.js';
import { trainClassifier, type TrainClassifierOptions } from './train-classifier.js';
import { trainGan, type TrainGanOptions } from './train-gan.js';

/**
 * The probe's bad inputs to trainGan and trainClassifier, as a table: each fails with a typed
 * error whose message says what was expected and what was given, and leaves no tensor behind
 * (also those that fail after the step, its optimizers and its EMA generator were built).
 */

const data = toyData(); // 48 images of 3 classes
const shapes = toyShapes(24, 1);
// Built after the backend is chosen.
let gan: Gan;
let cgan: Gan;
let classifier: LayersModel;
let dir: string;
/** A store that already holds a run of each trainer (to fail after setup: a new run refuses it). */
let heldGan: CheckpointStore;
let heldClassifier: CheckpointStore;

const boom = (at: string) => () => {
  throw new TrainingError(`callback failed at ${at}`);
};
/** A store whose writes fail (a full disk, as a store reports it). */
const failingStore: CheckpointStore = {
  location: 'failing',
  write: async () => {
    throw new CheckpointError('cannot write checkpoint step-0000001: no space left on the device (ENOSPC)');
  },
  latest: async () => undefined,
};

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
  gan = tinyGan('dcgan');
  cgan = tinyGan('cgan');
  classifier = createClassifier({ imageShape: [28, 28, 1], numClasses: 3, filters: 4, seed: 0 });
  dir = await mkdtemp(join(tmpdir(), 'dgm-error-paths-'));
  await writeFile(join(dir, 'a-file'), 'not a folder');
  // Successful runs first: they warm up what tfjs caches once, and fill the held stores.
  heldGan = memoryStore();
  (await trainGan({ gan, data, steps: 1, batchSize: 8, store: heldGan })).ema?.dispose();
  heldClassifier = memoryStore();
  await trainClassifier({ model: classifier, data: shapes, steps: 1, batchSize: 8, store: heldClassifier });
});
afterAll(async () => {
  disposeGan(gan);
  disposeGan(cgan);
  classifier.dispose();
  await rm(dir, { recursive: true, force: true });
});

type Case<O> = readonly [name: string, options: () => O, error: ErrorClass, message: string];

const ganCases: readonly Case<Partial<TrainGanOptions> & Record<string, unknown>>[] = [
  ['a learning rate as a string', () => ({ optimizers: { generator: { learningRate: '0.001' as never } } }), InvalidArgumentError, 'trainGan: optimizers.generator.learningRate: expected a finite number, got string "0.001"'],
  ['a batch size as a string', () => ({ batchSize: '8' as never }), InvalidArgumentError, 'trainGan: batchSize: expected a finite number, got string "8"'],
  ['a batch size beyond the data', () => ({ batchSize: 1e9 }), InvalidArgumentError, "trainGan: batchSize: expected ≤ 48 (the data's image count), got number 1000000000"],
  ['a fractional batch size', () => ({ batchSize: 2.5 }), InvalidArgumentError, 'batchSize: expected an integer, got number 2.5'],
  ['optimizers: null', () => ({ optimizers: null as never }), InvalidArgumentError, 'trainGan: optimizers: expected object, got null'],
  ['a typo in an optimizer field', () => ({ optimizers: { generator: { learningrate: 1e-3 } as never } }), InvalidArgumentError, 'trainGan: optimizers.generator: unknown option "learningrate"'],
  ['an unknown option (epoch for epochs)', () => ({ epoch: 1 }), InvalidArgumentError, 'trainGan: unknown option "epoch"'],
  ['a beta of 1', () => ({ optimizers: { discriminator: { beta2: 1 } } }), InvalidArgumentError, 'optimizers.discriminator.beta2: expected < 1, got number 1'],
  ['labelSmoothing NaN', () => ({ labelSmoothing: Number.NaN }), InvalidArgumentError, 'trainGan: labelSmoothing: expected a finite number, got number NaN'],
  ['an R1 weight of NaN', () => ({ regularizers: { r1: { weight: Number.NaN } } }), InvalidArgumentError, 'regularizers.r1.weight: expected a finite number, got number NaN'],
  ['an unknown augment policy', () => ({ augment: ['flip' as never] }), InvalidArgumentError, 'augment[0]: expected one of "color", "translation", "cutout", got string "flip"'],
  ['an unknown loss (a prototype key)', () => ({ loss: 'toString' as never }), InvalidArgumentError, 'loss: expected one of "minimax"'],
  ['an unknown phase side', () => ({ phases: [{ side: 'critic' as never }] }), InvalidArgumentError, 'phases[0].side: expected one of "discriminator", "generator", got string "critic"'],
  ['no phases', () => ({ phases: [] }), InvalidArgumentError, 'phases: expected a non-empty list'],
  ['callbacks: {}', () => ({ callbacks: {} as never }), InvalidArgumentError, 'trainGan: callbacks: expected array, got an empty object'],
  ['a callback hook that is no function', () => ({ callbacks: [{ onBatchEnd: 1 } as never] }), InvalidArgumentError, 'callbacks[0]: expected a callback'],
  ['an EMA decay of 1', () => ({ ema: { decay: 1 } }), InvalidArgumentError, 'trainGan: ema.decay: expected < 1, got number 1'],
  ['an EMA that is neither false nor a decay', () => ({ ema: true as never }), InvalidArgumentError, 'trainGan: ema: expected false or { decay: a number in (0, 1) }, got boolean true'],
  ['negative steps', () => ({ steps: -1 }), InvalidArgumentError, 'steps: expected ≥ 0, got number -1'],
  ['a fractional seed', () => ({ seed: 1.5 }), InvalidArgumentError, 'seed: expected an integer, got number 1.5'],
  ['a time budget of 0', () => ({ minutes: 0 }), InvalidArgumentError, 'minutes: expected > 0, got number 0'],
  ['a signal that is not one', () => ({ signal: {} as never }), InvalidArgumentError, 'signal: expected an AbortSignal, got an empty object'],
  ['a store that is not one', () => ({ store: {} as never }), InvalidArgumentError, 'store: expected a CheckpointStore'],
  ['resume without a store', () => ({ resume: true }), InvalidArgumentError, 'resume needs the store'],
  ['an unknown non-finite policy', () => ({ onNonFinite: 'retry' as never }), InvalidArgumentError, "onNonFinite: expected 'stop' or { rollback"],
  ['debug as a string', () => ({ debug: 'yes' as never }), InvalidArgumentError, 'debug: expected boolean, got string "yes"'],
  ['a WGAN-GP recipe on another loss', () => ({ gan: tinyGanFamily('wgan-gp'), loss: 'hinge' }), InvalidArgumentError, "use loss 'wasserstein'"],
  ['no GAN', () => ({ gan: undefined as never }), InvalidArgumentError, 'trainGan: gan: expected { generator, discriminator, spec } from @dgm/models, got undefined'],
  ['data without labels for a conditional GAN', () => ({ gan: cgan, data: fromArrays({ images: new Uint8Array(784 * 4), shape: [28, 28, 1] }) }), InvalidArgumentError, 'needs labeled data'],
  ['data of another shape', () => ({ data: fromArrays({ images: new Uint8Array(32 * 32 * 3 * 2), shape: [32, 32, 3] }) }), ShapeMismatchError, 'the data\'s images are 32×32×3'],
  ['a runDir under a file (ENOTDIR), before any step', () => ({ store: fileSystemStore({ runDir: join(dir, 'a-file', 'run') }) }), CheckpointError, 'a part of the path is a file, not a folder (ENOTDIR)'],
  // After setup: the step, its optimizers and the EMA generator are built when these fail.
  ['a store that holds another run', () => ({ store: heldGan }), CheckpointError, 'already holds a run'],
  ['resuming with another seed', () => ({ store: heldGan, resume: true, steps: 3, seed: 5 }), InvalidArgumentError, 'was trained with seed 0, not 5'],
  ['a callback that throws at the start', () => ({ callbacks: [{ onTrainBegin: boom('the start') }] }), TrainingError, 'callback failed at the start'],
  ['a callback that throws after a step', () => ({ callbacks: [{ onBatchEnd: boom('step 1') }] }), TrainingError, 'callback failed at step 1'],
  ['a store whose write fails (a full disk)', () => ({ store: failingStore }), CheckpointError, 'no space left on the device'],
  ['D failing in the middle of a step (inside the gradient)', () => ({ gan: failingDiscriminator() }), TrainingError, 'D failed mid-step'],
];

/** The GAN, with a D that computes, then throws (as a kernel might), inside the step's gradient. */
function failingDiscriminator(): Gan {
  const d = gan.discriminator;
  const apply = (...args: Parameters<typeof d.apply>) => {
    d.apply(...args);
    throw new TrainingError('D failed mid-step');
  };
  return { ...gan, discriminator: new Proxy(d, { get: (target, key) => (key === 'apply' ? apply : Reflect.get(target, key, target)) }) };
}

function tinyGanFamily(name: 'wgan-gp') {
  const made = tinyGan(name);
  made.generator.dispose();
  made.discriminator.dispose();
  return made;
}

describe('trainGan error paths: a typed error, and no tensor left behind', () => {
  for (const [name, options, error, message] of ganCases) {
    it(name, async () => {
      const given = options();
      await expectFailureWithoutLeaks(() => trainGan({ gan, data, steps: 2, batchSize: 8, ...given } as TrainGanOptions), { error, message });
    });
  }

  it('options that are no object', async () => {
    await expectFailureWithoutLeaks(() => trainGan(undefined as never), { error: InvalidArgumentError, message: 'trainGan: expected an options object, got undefined' });
  });
});

const classifierCases: readonly Case<Partial<TrainClassifierOptions> & Record<string, unknown>>[] = [
  ['a learning rate as a string', () => ({ optimizer: { learningRate: '0.001' as never } }), InvalidArgumentError, 'trainClassifier: optimizer.learningRate: expected a finite number, got string "0.001"'],
  ['a batch size as a string', () => ({ batchSize: '8' as never }), InvalidArgumentError, 'trainClassifier: batchSize: expected a finite number, got string "8"'],
  ['a batch size beyond the data', () => ({ batchSize: 1e9 }), InvalidArgumentError, "trainClassifier: batchSize: expected ≤ 24 (the data's image count), got number 1000000000"],
  ['an unknown option', () => ({ epoch: 1 }), InvalidArgumentError, 'trainClassifier: unknown option "epoch"'],
  ['labelSmoothing NaN', () => ({ labelSmoothing: Number.NaN }), InvalidArgumentError, 'labelSmoothing: expected a finite number, got number NaN'],
  ['an augment that is no function', () => ({ augment: 'flip' as never }), InvalidArgumentError, 'augment: expected a function'],
  ['an unknown schedule', () => ({ schedule: 'linear' as never }), InvalidArgumentError, 'schedule: expected one of "constant", "cosine", got string "linear"'],
  ['callbacks: {}', () => ({ callbacks: {} as never }), InvalidArgumentError, 'callbacks: expected array, got an empty object'],
  ['validation of another shape', () => ({ validation: fromArrays({ images: new Uint8Array(32 * 32 * 3 * 2), shape: [32, 32, 3], labels: [0, 1] }) }), ShapeMismatchError, 'trainClassifier (validation)'],
  ['a runDir under a file (ENOTDIR)', () => ({ store: fileSystemStore({ runDir: join(dir, 'a-file', 'run') }) }), CheckpointError, 'ENOTDIR'],
  ['a store that holds another run', () => ({ store: heldClassifier }), CheckpointError, 'already holds a run'],
  ['an augment that throws at the first step', () => ({ augment: () => { throw new InvalidArgumentError('augment: bad images'); } }), InvalidArgumentError, 'augment: bad images'],
  ['a callback that throws after a step', () => ({ callbacks: [{ onBatchEnd: boom('step 1') }] }), TrainingError, 'callback failed at step 1'],
  ['a store whose write fails', () => ({ store: failingStore }), CheckpointError, 'no space left on the device'],
];

describe('trainClassifier error paths: a typed error, and no tensor left behind', () => {
  for (const [name, options, error, message] of classifierCases) {
    it(name, async () => {
      await expectFailureWithoutLeaks(() => trainClassifier({ model: classifier, data: shapes, steps: 2, batchSize: 8, ...options() } as TrainClassifierOptions), { error, message });
    });
  }
});

