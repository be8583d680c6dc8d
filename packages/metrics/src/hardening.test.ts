import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { CheckpointError, createRandom, initBackend, InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { expectFailureWithoutLeaks } from '@dgm/core/testing';
import { createClassifier, createModel } from '@dgm/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { classifierExtractor } from './classifier-extractor.js';
import { computeCas, computeGanTest } from './classification-scores.js';
import { evaluateImages } from './evaluate-images.js';
import { extractFeatures, extractStatistics } from './extract-features.js';
import { functionExtractor, graphModelExtractor, layerExtractor } from './feature-extractor.js';
import { computeFid } from './fid.js';
import { frechetDistance } from './frechet-distance.js';
import { computeInceptionScore } from './inception-score.js';
import { computeKid } from './kid.js';
import { computePrecisionRecall } from './precision-recall.js';
import { decodeReferenceStatistics } from './reference-statistics.js';
import { ganSampler, sampleGan } from './sample-gan.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

type ErrorClass = typeof InvalidArgumentError;
type Case = readonly [string, () => unknown, ErrorClass, string];

/** Each call must fail with an error of its class whose message holds the fragment, and leave no tensor behind. */
async function expectCases(cases: readonly Case[]): Promise<void> {
  for (const [, call, error, message] of cases) await expectFailureWithoutLeaks(call, { error, message });
}

const random = createRandom({ seed: 3 });
const features = (count: number, dim: number) => ({ values: Float64Array.from({ length: count * dim }, () => random.normal()), count, dim });
const good = features(20, 3);
const probabilities = { values: new Float64Array(20).fill(0.5), count: 10, dim: 2 };
const pooled = (x: tf.Tensor4D) => tf.tidy(() => tf.reshape(tf.avgPool(x, 2, 2, 'valid'), [x.shape[0], -1]) as tf.Tensor2D);
const pool = functionExtractor({ id: 'pool', features: pooled });

describe('metric functions refuse bad options with typed errors that say what was expected and what was given', () => {
  it('FID, KID, IS, precision/recall, accuracy', async () => {
    await expectCases([
      ['computeFid()', () => computeFid(undefined as never), InvalidArgumentError, 'computeFid: expected an options object, got undefined'],
      ['computeFid without real', () => computeFid({ generated: good } as never), InvalidArgumentError, 'computeFid: real: expected features { values, count, dim } or statistics { mean, covariance, count, dim }, got undefined'],
      ['computeFid with an unknown option', () => computeFid({ generated: good, real: good, reference: good } as never), InvalidArgumentError, 'computeFid: unknown option "reference"'],
      ['computeFid of one sample', () => computeFid({ generated: features(1, 3), real: good }), InvalidArgumentError, 'generated needs at least 2 samples'],
      ['computeKid()', () => computeKid(undefined as never), InvalidArgumentError, 'computeKid: expected an options object, got undefined'],
      ['KID subsets a string', () => computeKid({ generated: good, real: good, subsets: '3' } as never), InvalidArgumentError, 'computeKid: subsets: expected a finite number, got string "3"'],
      ['KID subsetSize 2.5', () => computeKid({ generated: good, real: good, subsetSize: 2.5 }), InvalidArgumentError, 'subsetSize must be an integer ≥ 2, got 2.5'],
      ['IS without options', () => computeInceptionScore(undefined as never), InvalidArgumentError, 'computeInceptionScore: expected an options object, got undefined'],
      ['IS splits NaN', () => computeInceptionScore({ probabilities, splits: Number.NaN }), InvalidArgumentError, 'splits: expected a finite number, got number NaN'],
      ['P&R k a string', () => computePrecisionRecall({ generated: good, real: good, k: '3' } as never), InvalidArgumentError, 'computePrecisionRecall: k: expected a finite number, got string "3"'],
      ['P&R real a number', () => computePrecisionRecall({ generated: good, real: 3 } as never), InvalidArgumentError, 'real: expected features { values, count, dim }, got number 3'],
      ['accuracy(null)', () => accuracy(null as never), InvalidArgumentError, 'accuracy: expected an options object, got null'],
      ['accuracy labels a string', () => accuracy({ scores: probabilities, labels: '0101010101' } as never), InvalidArgumentError, 'labels: expected integer labels (an array or a typed array), got string "0101010101"'],
      ['accuracy label NaN', () => accuracy({ scores: probabilities, labels: [Number.NaN, ...new Array<number>(9).fill(0)] }), InvalidArgumentError, 'label NaN at index 0 is outside [0, 2)'],
    ]);
  });

  it('evaluateImages, extractFeatures, extractStatistics and the extractors', async () => {
    const images = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([6, 8, 8, 1], 0, 1, 'float32', 1), 2), 1) as tf.Tensor4D);
    const one = tf.slice(images, [0, 0, 0, 0], [1, -1, -1, -1]);
    const none = tf.slice(images, [0, 0, 0, 0], [0, -1, -1, -1]);
    const model = createClassifier({ imageShape: [28, 28, 1], filters: 2 });
    await expectCases([
      ['evaluateImages with metrics a string', () => evaluateImages({ metrics: 'fid' } as never), InvalidArgumentError, 'metrics: expected array, got string "fid"'],
      ['evaluateImages()', () => evaluateImages(undefined as never), InvalidArgumentError, 'evaluateImages: expected an options object, got undefined'],
      ['evaluateImages without an extractor', () => evaluateImages({ generated: images, reference: images } as never), InvalidArgumentError, 'evaluateImages: extractor: expected a FeatureExtractor'],
      ['evaluateImages with no metric', () => evaluateImages({ extractor: pool, generated: images, reference: images, metrics: [] }), InvalidArgumentError, 'metrics: expected length ≥ 1, got an array of 0'],
      ['evaluateImages with a prototype key as metric', () => evaluateImages({ extractor: pool, generated: images, reference: images, metrics: ['toString' as never] }), InvalidArgumentError, 'unknown metric "toString"'],
      ['evaluateImages without generated', () => evaluateImages({ extractor: pool, metrics: ['inception-score'] } as never), InvalidArgumentError, 'evaluateImages: generated must be a tf.Tensor4D, a Dataset from @dgm/data or { count, sample(n) }, got undefined'],
      ['evaluateImages with a string reference', () => evaluateImages({ extractor: pool, generated: images, reference: 'mnist' as never }), InvalidArgumentError, 'reference must be a tf.Tensor4D, a Dataset from @dgm/data or { count, sample(n) }, got string "mnist"'],
      ['evaluateImages kid options', () => evaluateImages({ extractor: pool, generated: images, reference: images, metrics: ['kid'], kid: { subsets: '2' } as never }), InvalidArgumentError, 'kid.subsets: expected a finite number, got string "2"'],
      ['evaluateImages batchSize 0', () => evaluateImages({ extractor: pool, generated: images, reference: images, batchSize: 0 }), InvalidArgumentError, 'batchSize must be a positive integer'],
      ['extractFeatures()', () => extractFeatures(undefined as never), InvalidArgumentError, 'extractFeatures: expected an options object, got undefined'],
      ['extractFeatures batchSize a string', () => extractFeatures({ extractor: pool, images, batchSize: '2' } as never), InvalidArgumentError, 'batchSize: expected a finite number, got string "2"'],
      ['extractFeatures of 0 images', () => extractFeatures({ extractor: pool, images: none as tf.Tensor4D }), InvalidArgumentError, 'extractFeatures: expected at least 1 image, got 0'],
      ['extractStatistics of 1 image', () => extractStatistics({ extractor: pool, images: one as tf.Tensor4D }), InvalidArgumentError, 'extractStatistics: a covariance needs at least 2 images, got 1'],
      ['extractStatistics()', () => extractStatistics(null as never), InvalidArgumentError, 'extractStatistics: expected an options object, got null'],
      ['layerExtractor()', () => layerExtractor(undefined as never), InvalidArgumentError, 'layerExtractor: expected an options object, got undefined'],
      ['layerExtractor without a layer', () => layerExtractor({ model, id: 'x' } as never), InvalidArgumentError, 'layerExtractor: layer: expected string, got undefined'],
      ['classifierExtractor of no model', () => classifierExtractor({ model: {}, id: 'x' } as never), InvalidArgumentError, 'classifierExtractor: model: expected a tf.LayersModel, got an empty object'],
      ['graphModelExtractor()', () => graphModelExtractor(undefined as never), InvalidArgumentError, 'graphModelExtractor: expected an options object, got undefined'],
      ['functionExtractor probabilities a string', () => functionExtractor({ id: 'f', features: pooled, probabilities: 'softmax' } as never), InvalidArgumentError, 'probabilities: expected a function'],
    ]);
    tf.dispose([images, one, none]);
    model.dispose();
  });

  it('a layers extractor refuses images of another shape than its input, before predicting', async () => {
    const model = createClassifier({ imageShape: [28, 28, 1], filters: 2 });
    const extractor = classifierExtractor({ model, id: 'tiny' });
    expect(extractor.inputShape).toEqual([28, 28, 1]);
    const colour = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 2), 2), 1) as tf.Tensor4D);
    await expectCases([
      ['extractFeatures', () => extractFeatures({ extractor, images: colour }), ShapeMismatchError, 'extractFeatures: extractor tiny takes images of shape [n, 28, 28, 1], got [4, 32, 32, 3]'],
      ['probabilities', () => extractFeatures({ extractor, images: colour, output: 'probabilities' }), ShapeMismatchError, 'takes images of shape [n, 28, 28, 1]'],
      ['extractStatistics', () => extractStatistics({ extractor, images: colour }), ShapeMismatchError, 'extractStatistics: extractor tiny takes images'],
      ['evaluateImages', () => evaluateImages({ extractor, generated: colour, metrics: ['inception-score'] }), ShapeMismatchError, 'evaluateImages (generated): extractor tiny takes images of shape [n, 28, 28, 1], got [4, 32, 32, 3]'],
      ['extractor.features', () => extractor.features(colour), ShapeMismatchError, 'layerExtractor: extractor tiny takes images of shape [n, 28, 28, 1], got [4, 32, 32, 3]'],
    ]);
    tf.dispose(colour);
    model.dispose();
  });

  it('CAS, GAN-test and the GAN samplers', async () => {
    const gan = createModel('dcgan', { imageShape: [28, 28, 1], generatorFilters: 2, discriminatorFilters: 2 });
    await expectCases([
      ['computeCas()', () => computeCas(undefined as never), InvalidArgumentError, 'computeCas: expected an options object, got undefined'],
      ['computeCas seed a string', () => computeCas({ seed: '1' } as never), InvalidArgumentError, 'computeCas: seed: expected a finite number, got string "1"'],
      ['computeCas model not a model', () => computeCas({ model: 'cnn' } as never), InvalidArgumentError, 'computeCas: model: expected a tf.LayersModel, got string "cnn"'],
      ['computeGanTest()', () => computeGanTest(undefined as never), InvalidArgumentError, 'computeGanTest: expected an options object, got undefined'],
      ['ganSampler()', () => ganSampler(undefined as never), InvalidArgumentError, 'ganSampler: expected an options object, got undefined'],
      ['ganSampler count a string', () => ganSampler({ gan, count: '4' } as never), InvalidArgumentError, 'ganSampler: count: expected a finite number, got string "4"'],
      ['sampleGan()', () => sampleGan(undefined as never), InvalidArgumentError, 'sampleGan: expected an options object, got undefined'],
      ['sampleGan batchSize 0', () => sampleGan({ gan, count: 2, batchSize: 0 }), InvalidArgumentError, 'sampleGan: batchSize must be a positive integer, got number 0'],
      ['sampleGan classes of a dcgan', () => sampleGan({ gan, count: 2, classes: [1] }), InvalidArgumentError, 'dcgan does not take classes'],
    ]);
    gan.generator.dispose();
    gan.discriminator.dispose();
  });
});

describe('statistics are checked before a distance is computed from them', () => {
  const d = 3;
  const identity = Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0));
  const stats = (over: Record<string, unknown> = {}) => ({ mean: new Float64Array(d), covariance: identity, count: 100, dim: d, ...over }) as never;
  const negative = identity.map((v) => -v);
  const skew = identity.slice();
  skew[1] = 0.5;
  const withNaN = identity.slice();
  withNaN[4] = Number.NaN;
  const cases: [string, Record<string, unknown>, string][] = [
    ['covariance −I', { covariance: negative }, 'covariance: expected a positive semidefinite matrix, got an eigenvalue -1 (largest in magnitude 1)'],
    ['a non-symmetric covariance', { covariance: skew }, 'covariance: expected a symmetric matrix, got [0][1] = 0.5 but [1][0] = 0'],
    ['count 0', { count: 0 }, 'count: expected an integer ≥ 2 (a covariance needs 2 samples), got number 0'],
    ['count 1', { count: 1 }, 'count: expected an integer ≥ 2'],
    ['count a string', { count: '100' }, 'count: expected an integer ≥ 2 (a covariance needs 2 samples), got string "100"'],
    ['dim 0', { dim: 0 }, 'dim: expected a positive integer, got number 0'],
    ['a short mean', { mean: new Float64Array(2) }, 'mean: expected 3 values (dim), got 2'],
    ['a short covariance', { covariance: new Float64Array(4) }, 'covariance: expected 9 values (dim × dim), got 4'],
    ['no covariance array', { covariance: null }, 'covariance: expected 9 values (dim × dim) in a Float64Array, got null'],
    ['NaN in the covariance', { covariance: withNaN }, 'covariance: expected finite numbers, got number NaN at index 4'],
    ['Infinity in the mean', { mean: Float64Array.of(Infinity, 0, 0) }, 'mean: expected finite numbers, got number Infinity at index 0'],
  ];

  it('computeFid and frechetDistance refuse bad statistics with InvalidArgumentError', async () => {
    await expectCases(
      cases.flatMap(([name, over, fragment]): Case[] => [
        [`computeFid: ${name}`, () => computeFid({ generated: stats(over), real: stats() }), InvalidArgumentError, `computeFid: generated statistics: ${fragment}`],
        [`computeFid real: ${name}`, () => computeFid({ generated: good, real: stats(over) }), InvalidArgumentError, `computeFid: real statistics: ${fragment}`],
        [`frechetDistance: ${name}`, () => frechetDistance(stats(), stats(over)), InvalidArgumentError, `frechetDistance: second statistics: ${fragment}`],
      ]),
    );
    await expectCases([
      ['evaluateImages with bad reference statistics', () => evaluateImages({ extractor: pool, generated: { count: 2, sample: () => undefined as never }, reference: { mean: new Float64Array(d), covariance: negative, count: 100, dim: d, extractor: 'pool', source: 'x' } }), InvalidArgumentError, 'evaluateImages: reference statistics: covariance: expected a positive semidefinite matrix'],
    ]);
  });

  it('a statistics file whose header is null or has no dim is a CheckpointError', () => {
    const file = (header: string) => new TextEncoder().encode(`${header}\n`);
    expect(() => decodeReferenceStatistics(file('null'), 'x.stats')).toThrow(/x\.stats: not a statistics file \(its header is null/);
    expect(() => decodeReferenceStatistics(file('{"format":"dgm-stats/1"}'), 'x.stats')).toThrow(/x\.stats: not a statistics file \(dim undefined, expected a positive integer\)/);
    expect(CheckpointError.isInstance((() => { try { decodeReferenceStatistics(file('7'), 'x.stats'); } catch (e) { return e; } })())).toBe(true);
  });

  it('accepts rounding: a covariance symmetric to 1e-9 and a rank-deficient one with eigenvalues of −1e-13', async () => {
    const nearly = identity.slice();
    nearly[1] = 1e-9;
    const rankDeficient = Float64Array.of(1, 1, 0, 1, 1, 0, 0, 0, -1e-13);
    const fid = await computeFid({ generated: stats({ covariance: nearly }), real: stats({ covariance: rankDeficient, mean: Float64Array.of(1, 0, 0) }) });
    expect(Number.isFinite(fid.value)).toBe(true);
    expect((await frechetDistance(stats(), stats())).value).toBe(0);
  });

  afterAll(() => undefined);
});
