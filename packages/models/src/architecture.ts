import { InvalidArgumentError, type ImageShape } from '@dgm/core';

/** Image shapes the convolutional builders take; others are rejected with the list. */
export const supportedImageShapes: readonly ImageShape[] = [
  [28, 28, 1],
  [32, 32, 3],
  [64, 64, 3],
];

/**
 * The upsampling plan for a square image: a start size of 7 or 4 doubled `stages` times
 * (28 = 7·2², 32 = 4·2³, 64 = 4·2⁴); G's channels halve at each stage down to `baseFilters`
 * and D's double from it.
 */
export interface Stages {
  readonly start: number;
  readonly stages: number;
  readonly generatorChannels: readonly number[];
  readonly discriminatorChannels: readonly number[];
}

export function stagesFor(imageShape: ImageShape, generatorFilters: number, discriminatorFilters: number, caller: string): Stages {
  checkImageShape(imageShape, caller);
  checkPositiveInteger(generatorFilters, 'generatorFilters', caller);
  checkPositiveInteger(discriminatorFilters, 'discriminatorFilters', caller);
  const [size] = imageShape;
  const start = size % 7 === 0 ? 7 : 4;
  const stages = Math.round(Math.log2(size / start));
  const widths = (base: number) => Array.from({ length: stages }, (_, i) => base * 2 ** i);
  return { start, stages, generatorChannels: widths(generatorFilters).reverse(), discriminatorChannels: widths(discriminatorFilters) };
}

export function checkImageShape(imageShape: unknown, caller: string): asserts imageShape is ImageShape {
  if (!supportedImageShapes.some((s) => JSON.stringify(s) === JSON.stringify(imageShape))) {
    throw new InvalidArgumentError(
      `${caller}: imageShape must be one of ${supportedImageShapes.map((s) => `[${s.join(', ')}]`).join(', ')}, got ${JSON.stringify(imageShape)}`,
    );
  }
}

export function checkPositiveInteger(value: unknown, name: string, caller: string): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new InvalidArgumentError(`${caller}: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
}

/** Seeds of initial weights: 0, 1, 2, … (`Seeds` numbers its initializers from seed·1000). */
export function checkSeed(value: number, caller: string): void {
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(`${caller}: seed must be a non-negative integer, got ${value}`);
}
