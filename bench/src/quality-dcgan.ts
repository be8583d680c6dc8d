// bench/quality's dcgan part: the DCGAN on MNIST, scored at times of training.
import { loadMnist } from '@dgm/data/node';
import { evaluateImages, ganSampler } from '@dgm/metrics';
import { loadExtractor, loadShippedReference } from '@dgm/metrics/node';
import { createDcgan } from '@dgm/models';
import { trainGan, type TrainContext } from '@dgm/trainers';
import { fixed, markdownTable } from './report.js';
import { atTrainingMinutes } from './training-minutes.js';

export interface DcganPoint {
  readonly minutes: number;
  readonly step: number;
  readonly fid: number;
  readonly inceptionScore: number;
  readonly inceptionScoreStd: number;
}

const samples = 10_000;

/**
 * The DCGAN (default widths and recipe, seed 0) trained on MNIST; at each of `times` minutes of
 * training (scoring excluded) FID-cnn and the Inception Score by mnist-cnn (10 splits) of
 * 10,000 samples of the EMA generator.
 */
export async function dcganOverTime(times: readonly number[]): Promise<{ points: DcganPoint[]; realInceptionScore: number }> {
  const data = await loadMnist({ split: 'train' });
  const extractor = await loadExtractor({ name: 'mnist-cnn' });
  const [real] = await evaluateImages({ extractor, generated: await loadMnist({ split: 'test' }), metrics: ['inception-score'] });
  const reference = await loadShippedReference({ name: 'mnist-cnn' });
  const gan = createDcgan({ imageShape: [28, 28, 1], seed: 0 });
  const points: DcganPoint[] = [];
  const score = async (minutes: number, step: number, context: TrainContext): Promise<DcganPoint> => {
    const generated = ganSampler({ gan, generator: context.ema ?? gan.generator, count: samples, seed: 1 });
    const [fid, is] = await evaluateImages({ extractor, generated, reference, metrics: ['fid', 'inception-score'] });
    process.stderr.write(`dcgan ${minutes} min, step ${step}: FID-cnn ${fixed(fid!.value, 2)}, IS ${fixed(is!.value, 2)}\n`);
    return { minutes, step, fid: fid!.value, inceptionScore: is!.value, inceptionScoreStd: is!.std ?? 0 };
  };
  await trainGan({ gan, data, seed: 0, steps: 1e9, callbacks: [atTrainingMinutes(times, points, score)] });
  extractor.model.dispose();
  return { points, realInceptionScore: real!.value };
}

export function dcganTable({ points, realInceptionScore }: { points: readonly DcganPoint[]; realInceptionScore: number }): string {
  return [
    `DCGAN (createDcgan's default widths, its recipe: batch 64, Adam 2e-4, EMA 0.999), seed 0, on MNIST; at each time of training (scoring excluded) ${samples} samples of the EMA generator: FID-cnn against mnist-cnn's MNIST train statistics (real test images: 0.021) and the Inception Score by mnist-cnn (10 splits; MNIST's 10,000 test images: ${fixed(realInceptionScore, 2)}).`,
    markdownTable(
      ['minutes', 'steps', 'FID-cnn', 'IS (± std over splits)'],
      points.map((p) => [p.minutes, p.step, fixed(p.fid, 2), `${fixed(p.inceptionScore, 2)} ± ${fixed(p.inceptionScoreStd, 2)}`]),
    ),
  ].join('\n\n');
}
