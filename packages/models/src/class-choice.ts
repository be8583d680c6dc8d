import { InvalidArgumentError } from '@dgm/core';
import { traitsOf } from './family-traits.js';
import type { ModelFamily } from './family-traits.js';

/** A class by its index or, where the spec knows the names (a loaded run), by its name. */
export type ClassChoice = number | string;

/** What classes are checked against: a GAN's or a VAE's spec. */
export interface ClassSpec {
  readonly family: ModelFamily;
  readonly name: string;
  readonly numClasses?: number;
  readonly classNames?: readonly string[];
}

/**
 * The class indices of `classes` for a model whose generator (or decoder) takes labels, checked against its number
 * of classes (and names); all its classes when `classes` is undefined.
 */
export function resolveClasses(spec: ClassSpec, classes: readonly ClassChoice[] | undefined, caller: string): Int32Array {
  const k = spec.numClasses ?? 0;
  if (!traitsOf(spec).generatorTakesLabels) {
    if (classes !== undefined) throw new InvalidArgumentError(`${caller}: ${spec.name} does not take classes (its generator has no label input); leave classes out`);
    return new Int32Array(0);
  }
  if (classes === undefined) return Int32Array.from({ length: k }, (_, i) => i);
  if (!Array.isArray(classes) || classes.length === 0) {
    throw new InvalidArgumentError(`${caller}: classes must be a non-empty array of class indices or names, got ${JSON.stringify(classes)}`);
  }
  return Int32Array.from(classes, (c) => classIndex(spec, c, caller));
}

function classIndex(spec: ClassSpec, choice: ClassChoice, caller: string): number {
  const k = spec.numClasses ?? 0;
  if (typeof choice === 'number') {
    if (Number.isInteger(choice) && choice >= 0 && choice < k) return choice;
    throw new InvalidArgumentError(`${caller}: class ${choice} is not a class of ${spec.name}: expected an integer in [0, ${k})${namesHint(spec)}`);
  }
  if (typeof choice !== 'string') throw new InvalidArgumentError(`${caller}: a class must be an index or a name, got ${typeof choice}`);
  if (spec.classNames === undefined) {
    throw new InvalidArgumentError(`${caller}: class ${JSON.stringify(choice)} given by name, but this ${spec.name} has no class names (load a trained run, or give indices in [0, ${k}))`);
  }
  const index = spec.classNames.indexOf(choice);
  if (index < 0) throw new InvalidArgumentError(`${caller}: unknown class ${JSON.stringify(choice)}${namesHint(spec)}`);
  return index;
}

const namesHint = (spec: ClassSpec) => (spec.classNames === undefined ? '' : `; its classes: ${spec.classNames.map((n, i) => `${i} ${JSON.stringify(n)}`).join(', ')}`);
