import { join } from 'node:path';
import { loadExtractor, loadShippedReference } from '@dgm/metrics/node';
import { checkpoints, metrics, type TrainCallback } from '@dgm/trainers';
import { jsonlLog, progressBar, sampleGrids, vaeGrids } from '@dgm/trainers/node';
import { extractorFor, parseDataSpec } from './data-source.js';
import type { Io } from './io.js';
import type { TrainConfig } from './train-config.js';
import { writeRunReport } from './write-report.js';

/**
 * `dgm train`'s callbacks, in order: progress, the metrics (before the log, which records
 * them), the JSONL log, grids, checkpoints, and the report refreshed after each checkpoint.
 */
export async function trainingCallbacks(options: { config: TrainConfig; runDir: string; kind: 'gan' | 'vae'; io: Io }): Promise<TrainCallback<never>[]> {
  const { config, runDir, kind, io } = options;
  const scoring = config.metricsEvery === undefined ? [] : [await metricsCallback(config)];
  const report: TrainCallback<never> = {
    async onBatchEnd(step) {
      if (step % config.checkpointEvery === 0) await writeRunReport({ runDir });
    },
  };
  return [
    progressBar({ stream: io.progress }),
    ...scoring,
    jsonlLog({ path: join(runDir, 'log.jsonl') }),
    kind === 'gan' ? sampleGrids({ every: config.gridEvery }) : vaeGrids({ every: config.gridEvery }),
    checkpoints({ every: config.checkpointEvery }),
    report,
  ] as TrainCallback<never>[];
}

/** FID of the generator against the data's shipped statistics, every `metricsEvery` steps. */
async function metricsCallback(config: TrainConfig): Promise<TrainCallback<never>> {
  const name = extractorFor(parseDataSpec(config.data))!; // planTraining checked that there is one
  const extractor = await loadExtractor({ name });
  return metrics({ every: config.metricsEvery!, extractor, reference: await loadShippedReference({ name }), samples: config.metricsSamples, seed: config.seed }) as TrainCallback<never>;
}
