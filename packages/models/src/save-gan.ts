import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointError, InvalidArgumentError } from '@dgm/core';
import { writeAtomically } from '@dgm/core/node';
import { fileSystemHandler } from './file-system-handler.js';
import type { Gan, GanSpec } from './spec.js';
import { registerCustomLayers } from './custom-layers.js';
import { takesLabels } from './model-inputs.js';

const FORMAT = 'dgm-gan/1';

/** Saves G to dir/generator, D to dir/discriminator and the spec to dir/gan.json (written last). */
export async function saveGan({ dir, gan }: { dir: string; gan: Gan }): Promise<void> {
  if (typeof dir !== 'string' || gan?.generator === undefined || gan.discriminator === undefined || gan.spec === undefined) {
    throw new InvalidArgumentError('saveGan: expected { dir, gan } with generator, discriminator and spec');
  }
  await gan.generator.save(fileSystemHandler({ dir: join(dir, 'generator') }));
  await gan.discriminator.save(fileSystemHandler({ dir: join(dir, 'discriminator') }));
  await writeAtomically(join(dir, 'gan.json'), JSON.stringify({ format: FORMAT, spec: gan.spec }, null, 2));
}

/** Loads what `saveGan` wrote, checking both models against the spec. */
export async function loadGan({ dir }: { dir: string }): Promise<Gan> {
  if (typeof dir !== 'string') throw new InvalidArgumentError(`loadGan: dir must be a folder path, got ${JSON.stringify(dir)}`);
  const path = join(dir, 'gan.json');
  let saved: { format?: unknown; spec?: GanSpec };
  try {
    saved = JSON.parse(await readFile(path, 'utf8')) as typeof saved;
  } catch (error) {
    throw new CheckpointError(`loadGan: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (saved.format !== FORMAT || saved.spec === undefined) throw new CheckpointError(`${path}: not a saved GAN (format ${JSON.stringify(saved.format)}, expected ${FORMAT})`);
  registerCustomLayers();
  const spec = saved.spec;
  const [generator, discriminator] = await Promise.all(
    (['generator', 'discriminator'] as const).map(async (part) => {
      const handler = fileSystemHandler({ dir: join(dir, part) });
      try {
        return await tfl.loadLayersModel(handler);
      } catch (error) {
        if (CheckpointError.isInstance(error)) throw error;
        throw new CheckpointError(`loadGan: cannot load ${join(dir, part)}: ${(error as Error).message}`, { cause: error });
      }
    }),
  );
  checkAgainstSpec(generator!, discriminator!, spec, dir);
  return { generator: generator!, discriminator: discriminator!, spec };
}

/** The input and output shapes a spec implies, compared with the loaded models'. */
function checkAgainstSpec(generator: tfl.LayersModel, discriminator: tfl.LayersModel, spec: GanSpec, dir: string): void {
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
        `loadGan: ${dir} does not match its spec (${spec.name}, image ${spec.imageShape.join('×')}): ${key} should be ${JSON.stringify(expected[key])}, found ${JSON.stringify(found[key])}`,
      );
    }
  }
}
