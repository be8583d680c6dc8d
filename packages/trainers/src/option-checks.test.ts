import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CheckpointError, initBackend, InvalidArgumentError } from '@dgm/core';
import { expectFailureWithoutLeaks, type ErrorClass } from '@dgm/core/testing';
import { createClassifier } from '@dgm/models';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { casTraining } from './cas-training.js';
import { memoryStore } from './checkpoint-store.js';
import { evaluateClassifier } from './evaluate-classifier.js';
import { loadGanRun } from './load-gan-run.js';
import { metrics } from './metrics-callback.js';
import { jsonlLog } from './node/jsonl-log.js';
import { loadRun } from './node/load-run.js';
import { progressBar } from './node/progress-bar.js';
import { sampleGrids } from './node/sample-grids.js';
import { taskProgress } from './node/task-progress.js';
import { checkpoints } from './periodic-checkpoints.js';
import { resolveRecipe } from './recipe.js';
import { toyShapes } from './toy.test-helper.js';

let model: LayersModel;
beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
  model = createClassifier({ imageShape: [28, 28, 1], numClasses: 3, filters: 2 });
});
afterAll(() => model.dispose());

const extractor = { id: 'fake', features: () => undefined } as never;

/** The probe's bad options to the trainers' other public functions: bad input → error class, message fragment. */
const cases: readonly (readonly [name: string, run: () => unknown, error: ErrorClass, message: string])[] = [
  ['checkpoints: every as a string', () => checkpoints({ every: '10' as never }), InvalidArgumentError, 'checkpoints: every: expected a finite number, got string "10"'],
  ['checkpoints: an unknown option', () => checkpoints({ every: 10, kepp: 2 } as never), InvalidArgumentError, 'checkpoints: unknown option "kepp"'],
  ['checkpoints: no options', () => checkpoints(undefined as never), InvalidArgumentError, 'checkpoints: expected an options object, got undefined'],
  ['metrics: an unknown metric', () => metrics({ every: 10, extractor, metrics: ['fidd' as never] }), InvalidArgumentError, 'metrics: metrics[0]: expected one of "fid", "kid"'],
  ['metrics: a NaN seed', () => metrics({ every: 10, extractor, seed: Number.NaN }), InvalidArgumentError, 'metrics: seed: expected a finite number, got number NaN'],
  ['progressBar: a negative interval', () => progressBar({ logEverySeconds: -1 }), InvalidArgumentError, 'progressBar: logEverySeconds: expected ≥ 0, got number -1'],
  ['progressBar: a stream that cannot be written', () => progressBar({ stream: {} as never }), InvalidArgumentError, 'progressBar: stream: expected a writable stream'],
  ['taskProgress: an interval as a string', () => taskProgress({ logEverySeconds: '5' as never }), InvalidArgumentError, 'taskProgress: logEverySeconds: expected a finite number, got string "5"'],
  ['jsonlLog: an empty path', () => jsonlLog({ path: '' }), InvalidArgumentError, 'jsonlLog: path: expected a non-empty file path, got string ""'],
  ['jsonlLog: no path', () => jsonlLog({} as never), InvalidArgumentError, 'jsonlLog: path: expected string, got undefined'],
  ['sampleGrids: every NaN', () => sampleGrids({ every: Number.NaN }), InvalidArgumentError, 'sampleGrids: every: expected a finite number, got number NaN'],
  ['sampleGrids: an unknown option', () => sampleGrids({ every: 1, rows: 3 } as never), InvalidArgumentError, 'sampleGrids: unknown option "rows"'],
  ['memoryStore: keep 1.5', () => memoryStore({ keep: 1.5 }), InvalidArgumentError, 'memoryStore: keep: expected an integer, got number 1.5'],
  ['loadRun: an empty dir', () => loadRun({ dir: '' }), InvalidArgumentError, 'loadRun: dir: expected a run or checkpoint folder, got string ""'],
  ['loadRun: a folder that does not exist', () => loadRun({ dir: '/nonexistent/dgm-run' }), CheckpointError, 'loadRun: /nonexistent/dgm-run does not exist'],
  ['loadGanRun: a store that is not one', () => loadGanRun({ store: {} as never }), InvalidArgumentError, 'loadGanRun: store: expected a CheckpointStore'],
  ['loadGanRun: an empty store', () => loadGanRun({ store: memoryStore() }), CheckpointError, 'loadGanRun: no checkpoint'],
  ['casTraining: a learning rate as a string', () => casTraining({ optimizer: { learningRate: '0.002' as never } }), InvalidArgumentError, 'casTraining: optimizer.learningRate: expected a finite number, got string "0.002"'],
  ['casTraining: an unknown option', () => casTraining({ epoch: 3 } as never), InvalidArgumentError, 'casTraining: unknown option "epoch"'],
  ['casTraining: onProgress that is no function', () => casTraining()({ model: undefined as never, data: undefined as never, seed: 0, onProgress: 1 as never }), InvalidArgumentError, 'casTraining: onProgress: expected a function, got number 1'],
  ['evaluateClassifier: a batch size of 0', () => evaluateClassifier({ model, data: toyShapes(6, 1), batchSize: 0 }), InvalidArgumentError, 'evaluateClassifier: batchSize: expected ≥ 1, got number 0'],
  ['evaluateClassifier: no model', () => evaluateClassifier({ model: undefined as never, data: toyShapes(6, 1) }), InvalidArgumentError, 'evaluateClassifier: model: expected a tf.LayersModel, got undefined'],
  ['resolveRecipe: a prototype key as family', () => resolveRecipe('constructor' as never, {}), InvalidArgumentError, 'resolveRecipe: family: expected one of "dcgan"'],
  ['resolveRecipe: optimizers: null', () => resolveRecipe('dcgan', { optimizers: null as never }), InvalidArgumentError, 'resolveRecipe: optimizers: expected object, got null'],
  ['resolveRecipe: a negative GP weight', () => resolveRecipe('wgan-gp', { regularizers: { gradientPenalty: { weight: -1 } } }), InvalidArgumentError, 'regularizers.gradientPenalty.weight: expected ≥ 0, got number -1'],
];

describe('the trainers’ other public functions check their options (bad input → class, message; no tensor left behind)', () => {
  for (const [name, run, error, message] of cases) {
    it(name, async () => {
      await expectFailureWithoutLeaks(run, { error, message });
    });
  }
});
