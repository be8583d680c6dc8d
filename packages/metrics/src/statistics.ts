import { InvalidArgumentError } from '@dgm/core';
import { checkFeatures, type FeatureMatrix } from './features.js';
import { linalg } from './linalg.js';

/** Mean and covariance (ddof 1, as numpy's cov) of a set of features, in float64. */
export interface FeatureStatistics {
  readonly mean: Float64Array;
  /** dim × dim, row-major. */
  readonly covariance: Float64Array;
  readonly count: number;
  readonly dim: number;
}

/** Rows gathered before their scatter matrix is computed: about 4M values. */
const defaultChunkRows = (dim: number) => Math.max(64, Math.floor(2 ** 22 / dim));

/**
 * Streaming mean and covariance in float64: rows are gathered into chunks; each chunk's mean
 * and centred scatter (XᵀX on the WebAssembly float64 module) are merged into the running
 * ones (Chan, Golub & LeVeque 1979), which keeps the accuracy of a two-pass computation
 * however far the features are from zero.
 */
export class StatisticsAccumulator {
  readonly #mean: Float64Array;
  /** Σ (x − mean)(x − mean)ᵀ, full. */
  readonly #scatter: Float64Array;
  readonly #buffer: Float64Array;
  #buffered = 0;
  #count = 0;

  /** `chunkRows`: rows per chunk (default: about 4M values' worth). */
  constructor(readonly dim: number, { chunkRows = defaultChunkRows(dim) }: { chunkRows?: number } = {}) {
    if (!Number.isInteger(dim) || dim < 1) throw new InvalidArgumentError(`StatisticsAccumulator: dim must be a positive integer, got ${dim}`);
    if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new InvalidArgumentError(`StatisticsAccumulator: chunkRows must be a positive integer, got ${chunkRows}`);
    this.#mean = new Float64Array(dim);
    this.#scatter = new Float64Array(dim * dim);
    this.#buffer = new Float64Array(chunkRows * dim);
  }

  /** Images added so far. */
  get count(): number {
    return this.#count + this.#buffered;
  }

  async add(batch: FeatureMatrix): Promise<void> {
    checkFeatures(batch, 'batch', 'StatisticsAccumulator.add');
    const { values, count, dim: d } = batch;
    if (d !== this.dim) throw new InvalidArgumentError(`StatisticsAccumulator.add: batch dim ${d}, accumulator dim ${this.dim}`);
    const capacity = this.#buffer.length / d;
    if (this.#buffered === 0 && count >= capacity) return this.#merge(values, count);
    for (let row = 0; row < count; ) {
      const take = Math.min(capacity - this.#buffered, count - row);
      this.#buffer.set(values.subarray(row * d, (row + take) * d), this.#buffered * d);
      this.#buffered += take;
      row += take;
      if (this.#buffered === capacity) await this.#flush();
    }
  }

  async statistics(): Promise<FeatureStatistics> {
    await this.#flush();
    const { dim: d } = this;
    if (this.#count < 2) throw new InvalidArgumentError(`StatisticsAccumulator: a covariance needs at least 2 samples, got ${this.#count}`);
    const covariance = this.#scatter.map((v) => v / (this.#count - 1));
    return { mean: this.#mean.slice(), covariance, count: this.#count, dim: d };
  }

  async #flush(): Promise<void> {
    if (this.#buffered === 0) return;
    const rows = this.#buffered;
    this.#buffered = 0;
    await this.#merge(this.#buffer.subarray(0, rows * this.dim), rows);
  }

  async #merge(values: Float32Array | Float64Array, nb: number): Promise<void> {
    const d = this.dim;
    const mb = new Float64Array(d);
    for (let r = 0; r < nb; r++) for (let i = 0; i < d; i++) mb[i]! += values[r * d + i]!;
    for (let i = 0; i < d; i++) mb[i]! /= nb;
    const centred = new Float64Array(nb * d);
    for (let r = 0; r < nb; r++) for (let i = 0; i < d; i++) centred[r * d + i] = values[r * d + i]! - mb[i]!;
    const scatter = (await linalg()).crossProduct(centred, nb, d);
    const na = this.#count;
    const n = na + nb;
    const weight = (na * nb) / n;
    const delta = mb.map((m, i) => m - this.#mean[i]!);
    const s = this.#scatter;
    for (let i = 0; i < d; i++) {
      const di = delta[i]! * weight;
      for (let j = 0; j < d; j++) s[i * d + j]! += scatter[i * d + j]! + di * delta[j]!;
    }
    for (let i = 0; i < d; i++) this.#mean[i]! += (delta[i]! * nb) / n;
    this.#count = n;
  }
}

/** The statistics of one feature matrix. */
export async function featureStatistics(features: FeatureMatrix): Promise<FeatureStatistics> {
  const accumulator = new StatisticsAccumulator(features?.dim);
  await accumulator.add(features);
  return accumulator.statistics();
}
