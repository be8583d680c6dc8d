import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { initBackend, InvalidArgumentError } from '@dgm/core';
import { evaluateImages, functionExtractor, ganSampler } from '@dgm/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StepLogs, TrainCallback } from './callbacks.js';
import { metrics } from './metrics-callback.js';
import { jsonlLog } from './node/jsonl-log.js';
import { disposeGan, tinyGan, toyData } from './toy.test-helper.js';
import { trainGan } from './train-gan.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', loaders: { '@dgm/kernels': () => import('@dgm/kernels') } });
});

// Four features per image: the mean brightness of each quadrant.
const extractor = functionExtractor({ id: 'quadrants', features: (images) => tf.tidy(() => tf.reshape(tf.avgPool(images, 14, 14, 'valid'), [images.shape[0], 4])) });

describe('metrics callback', () => {
  it('scores the EMA generator every N steps into the logs, which callbacks after it (jsonlLog) record', async () => {
    const data = toyData();
    const gan = tinyGan('dcgan');
    const dir = await mkdtemp(join(tmpdir(), 'dgm-metrics-'));
    const logs: StepLogs[] = [];
    const collect: TrainCallback = { onBatchEnd: (_step, l) => void logs.push(l) };
    const path = join(dir, 'log.jsonl');
    const callbacks = [metrics({ every: 2, extractor, reference: data, samples: 20 }), jsonlLog({ path }), collect];
    const result = await trainGan({ gan, data, steps: 4, batchSize: 6, callbacks, debug: true });
    const name = 'fid20-quadrants';
    expect(logs.map((l) => name in l)).toEqual([false, true, false, true]);
    // The same number as scoring the final EMA generator by hand.
    const [expected] = await evaluateImages({ extractor, generated: ganSampler({ gan, generator: result.ema!, count: 20, seed: 0 }), reference: data });
    expect(logs[3]![name]).toBe(expected!.value);
    expect(result.logs![name]).toBe(expected!.value);
    const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as StepLogs);
    expect(lines[1]![name]).toBe(logs[1]![name]);
    result.ema?.dispose();
    disposeGan(gan);
    await rm(dir, { recursive: true, force: true });
  });

  it('checks its options before training starts', () => {
    expect(() => metrics({ every: 0, extractor })).toThrow(InvalidArgumentError);
    expect(() => metrics({ every: 10, extractor: {} as never })).toThrow(/extractor: expected a FeatureExtractor/);
    expect(() => metrics({ every: 10, extractor, samples: 1 })).toThrow(/samples: expected ≥ 2, got number 1/);
  });
});
