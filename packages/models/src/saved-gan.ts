import type * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError } from '@dgm/core';
import { takesLabels } from './model-inputs.js';
import type { GanSpec } from './spec.js';

const FORMAT = 'dgm-gan/1';

/** The text of a saved GAN's manifest (gan.json): its format and spec. */
export function ganManifest(spec: GanSpec): string {
  return JSON.stringify({ format: FORMAT, spec }, null, 2);
}

/** The spec in a manifest's text; `path` names it in errors. */
export function parseGanManifest(text: string, path: string): GanSpec {
  let saved: { format?: unknown; spec?: GanSpec };
  try {
    saved = JSON.parse(text) as typeof saved;
  } catch (error) {
    throw new CheckpointError(`${path}: not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (saved.format !== FORMAT || saved.spec === undefined) throw new CheckpointError(`${path}: not a saved GAN (format ${JSON.stringify(saved.format)}, expected ${FORMAT})`);
  return saved.spec;
}

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
