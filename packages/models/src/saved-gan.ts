import type * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { CheckpointError, describeValue, parseOptions, isPlainObject } from '@dgm/core';
import { familiesOf } from './family-traits.js';
import { takesLabels } from './model-inputs.js';

import type { GanFamily, GanSpec } from './spec.js';

const FORMAT = 'dgm-gan/1';

/** The text of a saved GAN's manifest (gan.json): its format and spec. */
export function ganManifest(spec: GanSpec): string {
  return JSON.stringify({ format: FORMAT, spec }, null, 2);
}

/** The spec in a manifest's text; `path` names it in errors. */
export function parseGanManifest(text: string, path: string): GanSpec {
  let saved: unknown;
  try {
    saved = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(`${path}: not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isPlainObject(saved)) throw new CheckpointError(`${path}: not a saved GAN: expected an object { format, spec }, got ${describeValue(saved)}`);
  if (saved['format'] !== FORMAT || saved['spec'] === undefined) throw new CheckpointError(`${path}: not a saved GAN (format ${JSON.stringify(saved['format'])}, expected ${FORMAT})`);
  if (!isPlainObject(saved['spec'])) throw new CheckpointError(`${path}: spec: expected object, got ${describeValue(saved['spec'])} (not a spec @dgm/models wrote)`);
  try {
    return parseOptions(specSchema, saved['spec'], `${path}: spec`) as unknown as GanSpec;
  } catch (error) {
    throw new CheckpointError(`${(error as Error).message} (not a spec @dgm/models wrote)`, { cause: error });
  }
}

const positiveInteger = z.int().min(1);
/** What a saved spec must hold before its models are rebuilt or checked against it. */
const specSchema = z.looseObject({
  // A VAE's spec is not a GAN's: its models are an encoder and a decoder.
  family: z.enum(familiesOf('gan') as [GanFamily, ...GanFamily[]]),
  name: z.string(),
  imageShape: z.array(positiveInteger).length(3),
  latentDim: positiveInteger,
  numClasses: positiveInteger.optional(),
  classNames: z.array(z.string()).optional(),
  conditioning: z.enum(['none', 'concat', 'projection']),
  discriminatorOutputs: z.array(z.enum(['logit', 'classes', 'features'])).min(1),
  options: z.record(z.string(), z.unknown()),
});

/** Compares the input and output shapes a spec implies with the loaded models'; `source` names them in errors. */
export function checkGanAgainstSpec(generator: tfl.LayersModel, discriminator: tfl.LayersModel, spec: GanSpec, source: string, caller = 'loadGan'): void {
  const { generator: conditionalG, discriminator: conditionalD } = takesLabels(spec);
  const outputSizes: Record<string, number | undefined> = { logit: 1, classes: spec.numClasses };
  const expected = {
    'generator inputs': [[null, spec.latentDim], ...(conditionalG ? [[null, 1]] : [])],
    'generator output': [[null, ...spec.imageShape]],
    'discriminator inputs': [[null, ...spec.imageShape], ...(conditionalD ? [[null, 1]] : [])],
    'discriminator outputs': spec.discriminatorOutputs.map((o) => (o === 'features' ? undefined : [null, outputSizes[o]])),
  };
  const found = {
    'generator inputs': generator.inputs.map((t) => t.shape),
    'generator output': generator.outputs.map((t) => t.shape),
    'discriminator inputs': discriminator.inputs.map((t) => t.shape),
    'discriminator outputs': discriminator.outputs.map((t, i) => (spec.discriminatorOutputs[i] === 'features' ? undefined : t.shape)),
  };
  for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
    if (JSON.stringify(expected[key]) !== JSON.stringify(found[key])) {
      throw new CheckpointError(
        `${caller}: ${source} does not match its spec (${spec.name}, image ${spec.imageShape.join('×')}): ${key} should be ${JSON.stringify(expected[key])}, found ${JSON.stringify(found[key])}`,
      );
    }
  }
}
