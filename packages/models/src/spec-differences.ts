import type { GanSpec } from './spec.js';
import type { VaeSpec } from './vae-spec.js';

const describedKeys = ['family', 'name', 'imageShape', 'latentDim', 'numClasses', 'conditioning', 'discriminatorOutputs', 'decoder'] as const;
/** Options that set initial weights only, which a checkpoint replaces. */
const weightOnlyOptions = ['seed'];

/**
 * How spec `a` differs from spec `b` (a GAN's or a VAE's) in what shapes their models (family, name, image shape,
 * latent size, classes, every builder option such as the widths; not the seed), one phrase each, e.g.
 * 'name cgan, not dcgan'; empty when the same models would be built. Class names are not compared.
 */
export function specDifferences(a: GanSpec | VaeSpec, b: GanSpec | VaeSpec): string[] {
  const field = (spec: GanSpec | VaeSpec, key: (typeof describedKeys)[number]) => (spec as unknown as Record<string, unknown>)[key];
  const show = (value: unknown) => (value === undefined ? 'unset' : typeof value === 'string' ? value : JSON.stringify(value));
  const differ = (x: unknown, y: unknown) => JSON.stringify(x) !== JSON.stringify(y);
  const top = describedKeys.filter((key) => differ(field(a, key), field(b, key))).map((key) => `${key} ${show(field(a, key))}, not ${show(field(b, key))}`);
  const optionKeys = [...new Set([...Object.keys(a.options ?? {}), ...Object.keys(b.options ?? {})])].filter((key) => !describedKeys.includes(key as never) && !weightOnlyOptions.includes(key));
  const options = optionKeys.filter((key) => differ(a.options?.[key], b.options?.[key])).map((key) => `${key} ${show(a.options?.[key])}, not ${show(b.options?.[key])}`);
  return [...top, ...options];
}
