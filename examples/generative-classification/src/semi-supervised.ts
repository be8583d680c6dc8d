import { join } from 'node:path';
import { takePerClass } from '@dgm/data';
import { createSemiSupervisedGan, discriminatorClassifier, generate } from '@dgm/models';
import { evaluateClassifier, trainGan, type TrainCallback, type TrainContext } from '@dgm/trainers';
import { progressBar } from '@dgm/trainers/node';
import { accuracyOf, trainAndTest } from './classifier.js';
import type { ExperimentContext } from './context.js';
import { writeGrid } from './grids.js';
import { seedsOf, type ResultRow } from './results.js';

/**
 * The semi-supervised GAN (Salimans et al. 2016: K real classes + fake, feature matching for
 * G) with `labels` labeled images and the whole training set unlabeled; its D and D's weight
 * average scored as classifiers of the real test set, beside the protocol's classifier trained
 * on the labeled images alone.
 */
export async function semiSupervised({ options, data, protocol, log }: ExperimentContext): Promise<ResultRow[]> {
  const { train, test } = data;
  const classes = train.classNames.length;
  const perClass = options.labels / classes;
  const rows: ResultRow[] = [];
  for (const seed of seedsOf(options)) {
    const labeled = takePerClass({ dataset: train, perClass, seed });
    const variant = train.shape[0] === 28 && train.shape[2] === 1 ? 'mlp' : 'conv';
    const widths = options.widths === undefined ? {} : { generatorFilters: options.widths, discriminatorFilters: options.widths };
    const gan = createSemiSupervisedGan({ variant, imageShape: train.shape, numClasses: classes, seed, ...widths });
    log(`training ssgan-${variant} with ${labeled.count} labels (seed ${seed}) for up to ${options.ssganMinutes} min or ${options.steps} steps`);
    const started = performance.now();
    const history: NonNullable<ResultRow['history']>[number][] = [];
    const afterEachEpoch: TrainCallback<TrainContext> = {
      onEpochEnd: async (epoch, logs, context) => {
        const { accuracy } = await evaluateClassifier({ model: discriminatorClassifier({ gan, discriminator: context.discriminatorEma! }), data: test });
        history.push({ epoch: epoch + 1, step: logs['step'] ?? 0, minutes: (performance.now() - started) / 60_000, value: accuracy });
        log(`ssgan epoch ${epoch + 1}: test error of the averaged D ${(100 * (1 - accuracy)).toFixed(2)}%`);
      },
    };
    const result = await trainGan({
      gan,
      data: train,
      labeled,
      minutes: options.ssganMinutes,
      steps: options.steps,
      seed,
      batchSize: Math.min(100, labeled.count),
      ema: false,
      discriminatorEma: { decay: 0.999 },
      callbacks: [progressBar(), afterEachEpoch],
    });
    const minutes = (performance.now() - started) / 60_000;
    try {
      const row = (model: string, score: { accuracy: number; perClass: readonly number[] }, more: Partial<ResultRow> = {}) =>
        rows.push({ experiment: 'ssgan', model, metric: 'test accuracy', labelsPerClass: perClass, seed, value: score.accuracy, perClass: score.perClass, steps: result.step, minutes, ...more });
      row(`${gan.spec.name} D`, await accuracyOf(discriminatorClassifier({ gan }), test, 'ssgan-d'));
      row(`${gan.spec.name} D (averaged)`, await accuracyOf(discriminatorClassifier({ gan, discriminator: result.discriminatorEma! }), test, 'ssgan-d-ema'), { history });
      const { images } = generate({ gan, count: 100, seed });
      await writeGrid(join(options.out, 'grids', `${gan.spec.name}-seed${seed}.png`), images);
    } finally {
      [gan.generator, gan.discriminator, result.discriminatorEma].forEach((m) => m?.dispose());
    }
    log(`classifier on the ${labeled.count} labels alone (seed ${seed})`);
    const alone = await trainAndTest(labeled, test, seed, protocol);
    alone.model.dispose();
    rows.push({ experiment: 'ssgan', model: 'classifier on the labels alone', metric: 'test accuracy', labelsPerClass: perClass, seed, value: alone.score.accuracy, perClass: alone.score.perClass, steps: alone.score.steps, minutes: alone.score.minutes });
  }
  return rows;
}
