import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { join } from 'node:path';
import type { BackendChoice } from '@dgm/core';
import { readJsonLines } from '@dgm/core/node';
import { startBackend } from './backend.js';
import { takePerClass, type Dataset } from '@dgm/data';
import { createModel, familyTraits, type Gan, type Vae } from '@dgm/models';
import { trainGan, trainVae, type LoopResult } from '@dgm/trainers';
import { fileSystemStore } from '@dgm/trainers/node';
import { takesClassCount } from './check-train-config.js';
import { imageShapeOf, loadData } from './data-source.js';
import { describeEnvironment } from './environment.js';
import { interruptSignal } from './interrupt.js';
import type { Io } from './io.js';
import { writeRunReport } from './write-report.js';
import { readRunRecord, writeRunRecord } from './run-record.js';
import { trainingCallbacks } from './training-callbacks.js';
import { planTraining, type TrainFlags } from './train-plan.js';
import type { TrainConfig } from './train-config.js';
import { runRecordFormat, type RunRecord } from '../run-report.js';

/** Steps of a run given neither steps nor minutes. */
const defaultSteps = 2000;
/** Steps of a run given only a time budget: the budget ends it. */
const untilTimeRunsOut = 1_000_000_000;

/**
 * `dgm train`: trains a GAN or VAE into a run folder (run.json, log.jsonl, samples/,
 * checkpoints/, report.html). Resolves to 'interrupted' when Ctrl-C ended it (after its checkpoint).
 */
export async function train(flags: TrainFlags, io: Io): Promise<'done' | 'interrupted'> {
  const plan = await planTraining(flags);
  const { config, runDir, recipe } = plan;
  const backend = await startBackend(config.backend as BackendChoice);
  io.log(`backend: ${backend.backend} (${backend.reason})`);
  const data = await loadData(plan.data, 'train', imageShapeOf(plan.data, config.imageShape));
  io.log(`data: ${config.data}, ${data.count} images of ${data.shape.join('×')}${data.labels === undefined ? '' : `, ${data.classNames.length} classes`}`);
  const classes = takesClassCount(config.model) ? { numClasses: data.classNames.length } : {};
  const model = createModel(config.model as never, { imageShape: data.shape, seed: config.seed, ...classes, ...config.modelOptions } as never) as Gan | Vae;
  const previous = plan.resume ? await readRunRecord(runDir) : undefined;
  const record: RunRecord = { format: runRecordFormat, config, recipe, environment: describeEnvironment(backend), startedAt: previous?.startedAt ?? new Date().toISOString(), status: 'running' };
  await writeRunRecord(runDir, record);
  const steps = config.steps ?? (config.minutes === undefined ? defaultSteps : untilTimeRunsOut);
  const length = [steps !== untilTimeRunsOut && `${steps} steps`, config.minutes !== undefined && `${config.minutes} min`].filter(Boolean).join(' or ');
  io.log(`run: ${runDir} (${config.model}; ${length})`);
  const started = performance.now();
  const interrupt = interruptSignal(io);
  try {
    const result = await run(model, data, config, steps, plan.resume, runDir, interrupt.signal, io);
    const stopped = result.stoppedBy === 'signal';
    await finish(runDir, record, { step: result.step, stoppedBy: result.stoppedBy, seconds: (performance.now() - started) / 1000 }, stopped ? 'stopped' : 'done');
    io.log(`\n${stopped ? 'interrupted' : result.stoppedBy === 'time' ? 'time budget reached' : 'done'}: step ${result.step}; checkpoint ${result.checkpoint ?? 'none'}`);
    io.log(`report: ${join(runDir, 'report.html')}`);
    if (stopped || result.stoppedBy === 'time') io.log(`continue with: dgm train --run-dir ${runDir} --resume${result.stoppedBy === 'time' ? ' --minutes M' : ''}`);
    io.log(`sample with: dgm sample --run ${runDir} --out grid.png`);
    return stopped ? 'interrupted' : 'done';
  } catch (error) {
    const step = Number((await readJsonLines(join(runDir, 'log.jsonl'))).at(-1)?.['step'] ?? 0);
    const failed = { step, stoppedBy: 'error', seconds: (performance.now() - started) / 1000, error: String((error as Error)?.message ?? error) };
    // The training's error is the one to report, even if recording it fails too.
    await finish(runDir, record, failed, 'failed').catch(() => undefined);
    throw error;
  } finally {
    interrupt.dispose();
  }
}

async function run(model: Gan | Vae, data: Dataset, config: TrainConfig, steps: number, resume: boolean, runDir: string, signal: AbortSignal, io: Io): Promise<LoopResult> {
  const common = {
    data,
    steps,
    ...(config.minutes === undefined ? {} : { minutes: config.minutes }),
    ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
    seed: config.seed,
    store: fileSystemStore({ runDir }),
    resume,
    signal,
  };
  if ('encoder' in model) {
    const callbacks = await trainingCallbacks({ config, runDir, kind: 'vae', io });
    const result = await trainVae({ ...common, vae: model, ...config.recipe, callbacks });
    result.vae.encoder.dispose();
    result.vae.decoder.dispose();
    return result;
  }
  const labeled = familyTraits[model.spec.family].trainsOnLabeledSubset ? { labeled: takePerClass({ dataset: data, perClass: config.labelsPerClass, seed: config.seed }) } : {};
  const callbacks = await trainingCallbacks({ config, runDir, kind: 'gan', io });
  const result = await trainGan({ ...common, ...labeled, gan: model, ...config.recipe, callbacks });
  for (const m of [result.gan.generator, result.gan.discriminator, result.ema, result.discriminatorEma]) m?.dispose();
  return result;
}

async function finish(runDir: string, record: RunRecord, result: NonNullable<RunRecord['result']>, status: RunRecord['status']): Promise<void> {
  await writeRunRecord(runDir, { ...record, status, result });
  await writeRunReport({ runDir });
}
