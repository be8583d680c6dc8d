import type * as tfl from '@tensorflow/tfjs-layers';
import type * as z from 'zod';
import { CheckpointError, describeValue, parseOptions, isPlainObject } from '@dgm/core';
import { ganSpecSchema, vaeSpecSchema } from './saved-specs.js';
import { ganShapes, vaeShapes, type ShapeComparison } from './spec-shapes.js';
import type { Gan, GanSpec } from './spec.js';
import type { Vae, VaeSpec } from './vae-spec.js';

/** The model kinds that save as a folder of parts and a manifest. */
export type SavedKind = 'gan' | 'vae';
/** What a kind saves and loads: its models under their part names, and its spec. */
export type SavedModels<K extends SavedKind> = { gan: Gan; vae: Vae }[K];
export type SavedSpec<K extends SavedKind> = SavedModels<K>['spec'];
/** A kind's model names, each saved to a subfolder of that name. */
export type SavedPart<K extends SavedKind> = Exclude<keyof SavedModels<K>, 'spec'> & string;

/** How one kind is saved: the manifest's file and format, the parts in order, and what its spec must hold. */
export interface SavedKindEntry<K extends SavedKind> {
  /** How errors name it: 'GAN', 'VAE'. */
  readonly label: string;
  readonly manifest: string;
  readonly format: string;
  readonly parts: readonly SavedPart<K>[];
  readonly specSchema: z.ZodType;
  /** The shapes the spec implies for the parts (given in `parts` order) and the shapes they have. */
  readonly shapes: (models: readonly tfl.LayersModel[], spec: SavedSpec<K>) => ShapeComparison;
}

/** The one table of saved kinds; the GAN and VAE entries below and the Node loaders all read it. */
export const savedKinds: { readonly [K in SavedKind]: SavedKindEntry<K> } = {
  gan: { label: 'GAN', manifest: 'gan.json', format: 'dgm-gan/1', parts: ['generator', 'discriminator'], specSchema: ganSpecSchema, shapes: ganShapes },
  vae: { label: 'VAE', manifest: 'vae.json', format: 'dgm-vae/1', parts: ['encoder', 'decoder'], specSchema: vaeSpecSchema, shapes: vaeShapes },
};

/** The text of a kind's manifest (gan.json, vae.json): its format and spec. */
export function modelManifest<K extends SavedKind>(kind: K, spec: SavedSpec<K>): string {
  return JSON.stringify({ format: savedKinds[kind].format, spec }, null, 2);
}

/** The spec in a kind's manifest text; `path` names it in errors. */
export function parseModelManifest<K extends SavedKind>(kind: K, text: string, path: string): SavedSpec<K> {
  const { label, format, specSchema } = savedKinds[kind] as SavedKindEntry<SavedKind>;
  let saved: unknown;
  try {
    saved = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(`${path}: not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isPlainObject(saved)) throw new CheckpointError(`${path}: not a saved ${label}: expected an object { format, spec }, got ${describeValue(saved)}`);
  // Another kind's manifest says what it is, rather than only what it is not.
  const other = Object.values(savedKinds).find((entry) => entry.label !== label && entry.format === saved['format']);
  if (other !== undefined) throw new CheckpointError(`${path}: not a saved ${label}: it holds a saved ${other.label} (format ${other.format}, expected ${format})`);
  if (saved['format'] !== format || saved['spec'] === undefined) throw new CheckpointError(`${path}: not a saved ${label} (format ${JSON.stringify(saved['format'])}, expected ${format})`);
  if (!isPlainObject(saved['spec'])) throw new CheckpointError(`${path}: spec: expected object, got ${describeValue(saved['spec'])} (not a spec @dgm/models wrote)`);
  try {
    return parseOptions(specSchema, saved['spec'], `${path}: spec`) as SavedSpec<K>;
  } catch (error) {
    throw new CheckpointError(`${(error as Error).message} (not a spec @dgm/models wrote)`, { cause: error });
  }
}

/** Compares the shapes a spec implies with the loaded parts' (in the kind's `parts` order); `source` names them in errors. */
export function checkModelsAgainstSpec<K extends SavedKind>(kind: K, models: readonly tfl.LayersModel[], spec: SavedSpec<K>, source: string, caller: string): void {
  const { expected, found } = savedKinds[kind].shapes(models, spec);
  for (const key of Object.keys(expected)) {
    if (JSON.stringify(expected[key]) !== JSON.stringify(found[key])) {
      throw new CheckpointError(
        `${caller}: ${source} does not match its spec (${spec.name}, image ${spec.imageShape.join('×')}): ${key} should be ${JSON.stringify(expected[key])}, found ${JSON.stringify(found[key])}`,
      );
    }
  }
}

/** The text of a saved GAN's manifest (gan.json): its format and spec. */
export function ganManifest(spec: GanSpec): string {
  return modelManifest('gan', spec);
}
/** The spec in a gan.json's text; `path` names it in errors. */
export function parseGanManifest(text: string, path: string): GanSpec {
  return parseModelManifest('gan', text, path);
}
/** Compares the input and output shapes a GAN spec implies with G's and D's; `source` names them in errors. */
export function checkGanAgainstSpec(generator: tfl.LayersModel, discriminator: tfl.LayersModel, spec: GanSpec, source: string, caller = 'loadGan'): void {
  checkModelsAgainstSpec('gan', [generator, discriminator], spec, source, caller);
}

/** The text of a saved VAE's manifest (vae.json): its format and spec. */
export function vaeManifest(spec: VaeSpec): string {
  return modelManifest('vae', spec);
}
/** The spec in a vae.json's text; `path` names it in errors. */
export function parseVaeManifest(text: string, path: string): VaeSpec {
  return parseModelManifest('vae', text, path);
}
/** Compares the input and output shapes a VAE spec implies with the encoder's and decoder's; `source` names them in errors. */
export function checkVaeAgainstSpec(encoder: tfl.LayersModel, decoder: tfl.LayersModel, spec: VaeSpec, source: string, caller = 'loadVae'): void {
  checkModelsAgainstSpec('vae', [encoder, decoder], spec, source, caller);
}
