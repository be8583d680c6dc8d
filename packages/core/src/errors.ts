/**
 * Typed errors of dgm. Every error carries the `Symbol.for('dgm.error')` marker, so
 * `SomeError.isInstance(e)` works even when two copies of @dgm/core are loaded
 * (where `instanceof` fails).
 */
const marker = Symbol.for('dgm.error');

interface Marked {
  readonly [marker]: readonly string[];
}

export class DgmError extends Error {
  /** Stable name of this error class, used by `isInstance` (unlike `constructor.name`, it survives minification). */
  static readonly errorName: string = 'DgmError';

  declare readonly [marker]: readonly string[];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Not enumerable, like the `name` of built-in errors.
    Object.defineProperty(this, 'name', { value: (new.target as unknown as { errorName: string }).errorName, writable: true, configurable: true });
    // The names of this class and all its ancestors up to DgmError.
    const names: string[] = [];
    for (let c: unknown = new.target; c !== Error && c != null; c = Object.getPrototypeOf(c)) {
      names.push((c as { errorName: string }).errorName);
    }
    Object.defineProperty(this, marker, { value: Object.freeze(names), enumerable: false });
  }

  /** True for an instance of this class or a subclass, from any copy of @dgm/core. */
  static isInstance<T>(this: { prototype: T; errorName: string }, error: unknown): error is T {
    if (typeof error !== 'object' || error === null) return false;
    const names = (error as Partial<Marked>)[marker];
    return Array.isArray(names) && names.includes(this.errorName);
  }
}

/** An option or argument has the wrong type, range or value. */
export class InvalidArgumentError extends DgmError {
  static override readonly errorName: string = 'InvalidArgumentError';
}

/** A tensor or model has a shape other than the one required. */
export class ShapeMismatchError extends InvalidArgumentError {
  static override readonly errorName: string = 'ShapeMismatchError';
}

/** A dataset file or folder is not in the expected format (magic number, size, count, decoding). */
export class DatasetFormatError extends DgmError {
  static override readonly errorName: string = 'DatasetFormatError';
}

/** A file could not be downloaded, or what arrived is not what was expected (size, checksum). */
export class DownloadError extends DgmError {
  static override readonly errorName: string = 'DownloadError';
}

/** A checkpoint or saved model cannot be written or read back. */
export class CheckpointError extends DgmError {
  static override readonly errorName: string = 'CheckpointError';
}

/** Training went wrong numerically or in resources: a non-finite loss, tensors piling up. */
export class TrainingError extends DgmError {
  static override readonly errorName: string = 'TrainingError';
}

/** A tfjs backend is installed but failed to load or initialize. */
export class BackendError extends DgmError {
  static override readonly errorName: string = 'BackendError';
}

/** A numerical method did not converge (e.g. an eigenvalue iteration of FID on degenerate statistics). */
export class NumericalError extends DgmError {
  static override readonly errorName: string = 'NumericalError';
}
