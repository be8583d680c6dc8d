import { describe, expect, it, vi } from 'vitest';
import * as errors from './errors.js';

const { DgmError, InvalidArgumentError, ShapeMismatchError, DatasetFormatError, DownloadError, CheckpointError, TrainingError, BackendError, NumericalError } = errors;
const subclasses = [InvalidArgumentError, ShapeMismatchError, DatasetFormatError, DownloadError, CheckpointError, TrainingError, BackendError, NumericalError];

describe('errors', () => {
  it.each(subclasses.map((c) => [c.errorName, c] as const))('%s keeps message, name and cause', (_name, ErrorClass) => {
    const cause = new Error('root cause');
    const error = new ErrorClass('expected 3 channels, got 4', { cause });
    expect(error.message).toBe('expected 3 channels, got 4');
    expect(error.name).toBe(ErrorClass.errorName);
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DgmError);
    expect(DgmError.isInstance(error)).toBe(true);
    expect(ErrorClass.isInstance(error)).toBe(true);
    expect(String(error)).toBe(`${ErrorClass.errorName}: expected 3 channels, got 4`);
    expect(error.stack).toContain('expected 3 channels');
  });

  it('isInstance follows the class hierarchy and nothing else', () => {
    const shape = new ShapeMismatchError('bad shape');
    expect(InvalidArgumentError.isInstance(shape)).toBe(true);
    expect(ShapeMismatchError.isInstance(new InvalidArgumentError('x'))).toBe(false);
    expect(DatasetFormatError.isInstance(shape)).toBe(false);
    for (const value of [new Error('plain'), null, undefined, 'InvalidArgumentError', { name: 'InvalidArgumentError' }]) {
      expect(DgmError.isInstance(value)).toBe(false);
      expect(InvalidArgumentError.isInstance(value)).toBe(false);
    }
  });

  it('the marker is Symbol.for("dgm.error") and not enumerable', () => {
    const error = new CheckpointError('cannot write');
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('dgm.error')]).toEqual(['CheckpointError', 'DgmError']);
    expect(Object.keys(error)).not.toContain('name');
    expect(JSON.stringify(Object.getOwnPropertySymbols(error).map(String))).toContain('dgm.error');
  });

  it('isInstance works across two copies of the module, where instanceof does not', async () => {
    vi.resetModules();
    const copy = await import('./errors.js');
    expect(copy.InvalidArgumentError).not.toBe(InvalidArgumentError);

    const fromCopy = new copy.ShapeMismatchError('from the other copy', { cause: 42 });
    expect(fromCopy).not.toBeInstanceOf(InvalidArgumentError);
    expect(ShapeMismatchError.isInstance(fromCopy)).toBe(true);
    expect(InvalidArgumentError.isInstance(fromCopy)).toBe(true);
    expect(DgmError.isInstance(fromCopy)).toBe(true);
    expect(CheckpointError.isInstance(fromCopy)).toBe(false);
    expect(fromCopy.cause).toBe(42);

    const fromHere = new DatasetFormatError('from this copy');
    expect(copy.DatasetFormatError.isInstance(fromHere)).toBe(true);
    expect(copy.InvalidArgumentError.isInstance(fromHere)).toBe(false);
  });
});
