import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import * as YAML from 'yaml';
import * as z from 'zod';
import { InvalidArgumentError, parseOptions } from '@dgm/core';
import { modelNames, vaeModelNames } from '@dgm/models';
import { withSettings } from '@dgm/sweep';

const positiveInt = z.int().min(1);

/**
 * What `dgm train` takes, from flags, a config file (JSON or YAML, same keys) and `--set`.
 * `modelOptions` go to `createModel` and `recipe` to `trainGan`/`trainVae`, which check them.
 */
export const trainConfigSchema = z.strictObject({
  model: z.enum([...modelNames, ...vaeModelNames]),
  data: z.string().min(1),
  steps: positiveInt.optional(),
  minutes: z.number().positive().optional(),
  batchSize: positiveInt.optional(),
  seed: z.int().min(0).default(0),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  runDir: z.string().min(1).optional(),
  /** Score the generator (FID) every N steps with the data's shipped extractor. */
  metricsEvery: positiveInt.optional(),
  metricsSamples: z.int().min(2).default(2000),
  checkpointEvery: positiveInt.default(500),
  gridEvery: positiveInt.default(250),
  /** Semi-supervised GANs: labeled images per class. */
  labelsPerClass: positiveInt.default(10),
  /** What a folder's images are brought to. */
  imageShape: z.tuple([positiveInt, positiveInt, z.literal([1, 3, 4])]).default([32, 32, 3]),
  modelOptions: z.record(z.string(), z.unknown()).default({}),
  recipe: z.record(z.string(), z.unknown()).default({}),
});

export type TrainConfig = z.output<typeof trainConfigSchema>;

/** Reads a settings file: YAML (.yaml, .yml) or JSON (anything else); an InvalidArgumentError names the flag, the file and the line. */
export async function readConfigFile(path: string, flag = '--config'): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(`${flag} ${path}: cannot read it: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? YAML.parse(text, { prettyErrors: true }) : JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`${flag} ${path}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError(`${flag} ${path}: expected a mapping of settings, got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

/** Applies `--set key.path=value` (the value read as YAML: numbers, booleans, lists, strings) to a copy of `config`. */
export function applySets(config: Record<string, unknown>, sets: readonly string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const set of sets) {
    const at = set.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`--set: expected key=value (e.g. recipe.loss=hinge), got ${JSON.stringify(set)}`);
    settings[set.slice(0, at)] = YAML.parse(set.slice(at + 1));
  }
  try {
    return withSettings(config, settings);
  } catch (error) {
    throw new InvalidArgumentError(`--set: ${(error as Error).message}`, { cause: error });
  }
}

/** The config from its layers (file, then flags, then `--set`), checked: an InvalidArgumentError names the field. */
export function resolveTrainConfig(layers: readonly Record<string, unknown>[], sets: readonly string[]): TrainConfig {
  const merged = applySets(Object.assign({}, ...layers) as Record<string, unknown>, sets);
  return parseOptions(trainConfigSchema, merged, 'config');
}
