import { InvalidArgumentError } from '@dgm/core';

/** A matrix of features, one row per image: `count` rows of `dim` values. */
export interface FeatureMatrix {
  readonly values: Float32Array | Float64Array;
  readonly count: number;
  readonly dim: number;
}

/** Checks a feature matrix: sizes, and every value finite (a typed error names the first that is not). */
export function checkFeatures(features: FeatureMatrix, name: string, caller: string): void {
  const { values, count, dim } = features ?? ({} as FeatureMatrix);
  if (!(values instanceof Float32Array || values instanceof Float64Array)) {
    throw new InvalidArgumentError(`${caller}: ${name} must be { values: Float32Array | Float64Array, count, dim }`);
  }
  if (!Number.isInteger(count) || !Number.isInteger(dim) || count < 1 || dim < 1 || values.length !== count * dim) {
    throw new InvalidArgumentError(`${caller}: ${name} has ${values.length} values, expected count × dim = ${count} × ${dim}`);
  }
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new InvalidArgumentError(`${caller}: ${name} has a non-finite value (${values[bad]}) at row ${Math.floor(bad / dim)}, column ${bad % dim}`);
  }
}
