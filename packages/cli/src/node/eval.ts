import { appendFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from '@dgm/core';
import { startBackend } from './backend.js';
import { subset, type Dataset } from '@dgm/data';
import { computeCas, computeGanTest, evaluateImages, ganSampler, sampleGan, sampleVae, vaeSampler, type ImageMetric, type MetricResult, type ReferenceStatistics } from '@dgm/metrics';
import { loadExtractor, loadReferenceStatistics, loadShippedReference } from '@dgm/metrics/node';
import type * as tfl from '@tensorflow/tfjs-layers';
import { casTraining } from '@dgm/trainers';
import { taskProgress } from '@dgm/trainers/node';
import type { Evaluation } from '../run-report.js';
import { extractorFor, imageShapeOf, loadData, parseDataSpec, type DataSpec } from './data-source.js';
import type { Io } from './io.js';
import { chosenGenerator, disposeTrained, loadTrained, takesClass, type Trained } from './load-trained.js';
import { readRunRecord } from './run-record.js';
import type { TrainConfig } from './train-config.js';

export const metricChoices = ['fid', 'kid', 'is', 'pr', 'cas', 'gan-test'] as const;
type MetricChoice = (typeof metricChoices)[number];
const imageMetrics: Readonly<Record<string, ImageMetric>> = { fid: 'fid', kid: 'kid', is: 'inception-score', pr: 'precision-recall' };

export interface EvalFlags {
  readonly run: string;
  readonly metrics: string;
  readonly samples: number;
  readonly reference: string;
  readonly ema?: boolean;
  readonly seed: number;
  readonly json?: boolean;
}

/** `dgm eval`: scores a run's generator, prints a table (or JSON) and appends the results to RUN/eval.jsonl. */
export async function evaluate(flags: EvalFlags, io: Io): Promise<void> {
  const chosen = parseMetrics(flags.metrics);
  const runDir = resolve(flags.run);
  const config = (await readRunRecord(runDir))?.config as TrainConfig | undefined;
  if (config === undefined) throw new InvalidArgumentError(`eval: ${runDir} holds no run.json: dgm eval scores runs of dgm train`);
  const data = parseDataSpec(config.data);
  const extractorName = extractorFor(data);
  if (extractorName === undefined) throw new InvalidArgumentError(`eval: no shipped extractor scores ${config.data} (there are for mnist and fashion-mnist)`);
  await startBackend();
  const trained = await loadTrained(runDir);
  try {
    if (chosen.some((m) => m === 'cas' || m === 'gan-test') && !takesClass(trained)) throw new InvalidArgumentError(`eval: cas and gan-test need a conditional model; ${config.model} takes no class`);
    const extractor = await loadExtractor({ name: extractorName });
    const ganGenerator = trained.kind === 'gan' ? chosenGenerator(trained, flags.ema, 'eval') : undefined;
    const generator = ganGenerator?.name ?? 'decoder';
    const sampler = () =>
      trained.kind === 'vae' ? vaeSampler({ vae: trained.vae, count: flags.samples, seed: flags.seed }) : ganSampler({ gan: trained.gan, generator: ganGenerator!.model, count: flags.samples, seed: flags.seed });
    const results: MetricResult[] = [];
    const asked = chosen.filter((m) => m in imageMetrics).map((m) => imageMetrics[m]!);
    if (asked.length > 0) {
      const reference = await referenceFor(flags, asked, data, config);
      results.push(...(await evaluateImages({ extractor, generated: sampler(), reference, metrics: asked, onProgress: taskProgress() })));
    }
    if (chosen.includes('gan-test') || chosen.includes('cas')) results.push(...(await classificationScores(chosen, trained, ganGenerator?.model, flags, data, config, extractor)));
    const evaluation: Evaluation = { at: new Date().toISOString(), step: trained.step, generator, samples: flags.samples, reference: flags.reference, results: results.map(({ name, value }) => ({ name, value })) };
    await appendFile(join(runDir, 'eval.jsonl'), `${JSON.stringify(evaluation)}\n`);
    if (flags.json === true) return io.log(JSON.stringify({ ...evaluation, results }, null, 2));
    io.log(`step ${trained.step}, ${generator}, ${flags.samples} samples, reference ${flags.reference}`);
    for (const r of results) io.log(`${r.name.padEnd(32)} ${r.value.toFixed(4)}`);
    io.log(`appended to ${join(runDir, 'eval.jsonl')}`);
  } finally {
    disposeTrained(trained);
  }
}

function parseMetrics(text: string): MetricChoice[] {
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(metricChoices as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new InvalidArgumentError(`eval: --metrics: expected a comma-separated list of ${metricChoices.join(', ')}, got ${JSON.stringify(text)}`);
  return [...new Set(names)] as MetricChoice[];
}

/** Real images for the image metrics: FID alone against train uses the extractor's shipped statistics of all 60,000; otherwise the first `samples` images of the split, or a statistics file (FID only). */
async function referenceFor(flags: EvalFlags, asked: readonly ImageMetric[], data: DataSpec, config: TrainConfig): Promise<Dataset | ReferenceStatistics> {
  const { reference } = flags;
  if (reference === 'train' || reference === 'test') {
    if (reference === 'train' && asked.length === 1 && asked[0] === 'fid') return loadShippedReference({ name: extractorFor(data)! });
    const images = await loadData(data, reference, imageShapeOf(data, config.imageShape));
    return subset(images, Array.from({ length: Math.min(flags.samples, images.count) }, (_, i) => i));
  }
  if (asked.some((m) => m !== 'fid')) throw new InvalidArgumentError(`eval: --reference ${reference}: a statistics file serves FID only; give train or test for ${asked.filter((m) => m !== 'fid').join(', ')}`);
  return loadReferenceStatistics(reference);
}

/** GAN-test (the shipped classifier reads the generated images' classes) and CAS (a classifier trained on them, tested on the real test split). */
async function classificationScores(
  chosen: readonly MetricChoice[],
  trained: Trained,
  generator: tfl.LayersModel | undefined,
  flags: EvalFlags,
  data: DataSpec,
  config: TrainConfig,
  extractor: Parameters<typeof computeGanTest>[0]['classifier'],
): Promise<MetricResult[]> {
  const options = { count: flags.samples, seed: flags.seed };
  const generated = trained.kind === 'vae' ? await sampleVae({ vae: trained.vae, ...options }) : await sampleGan({ gan: trained.gan, generator: generator!, ...options });
  const results: MetricResult[] = [];
  if (chosen.includes('gan-test')) results.push(await computeGanTest({ classifier: extractor, generated, onProgress: taskProgress() }));
  if (chosen.includes('cas')) {
    const real = await loadData(data, 'test', imageShapeOf(data, config.imageShape));
    results.push(await computeCas({ generated, real, train: casTraining(), seed: flags.seed, onProgress: taskProgress() }));
  }
  return results;
}
