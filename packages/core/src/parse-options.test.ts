import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import { describeValue, parseOptions } from './parse-options.js';

const schema = z.strictObject({
  steps: z.int().min(1),
  learningRate: z.number().positive().optional(),
  loss: z.enum(['hinge', 'wasserstein']).optional(),
  optimizers: z.strictObject({ generator: z.strictObject({ beta1: z.number().min(0).max(1) }) }).optional(),
  name: z.string().min(1, { error: 'expected a non-empty name' }).optional(),
});

function message(value: unknown): string {
  try {
    parseOptions(schema, value, 'train');
  } catch (error) {
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('parseOptions', () => {
  it('returns what it parsed', () => {
    expect(parseOptions(schema, { steps: 3, loss: 'hinge' }, 'train')).toEqual({ steps: 3, loss: 'hinge' });
  });

  it('says what was expected and what was given, with its real type and path', () => {
    expect(message({ steps: '8' })).toBe('train: steps: expected a finite number, got string "8"');
    expect(message({ steps: 1e9 + 0.5 })).toBe('train: steps: expected an integer, got number 1000000000.5');
    expect(message({ steps: 0 })).toBe('train: steps: expected ≥ 1, got number 0');
    expect(message({ steps: 2, learningRate: '0.001' })).toBe('train: learningRate: expected a finite number, got string "0.001"');
    expect(message({ steps: 2, learningRate: Number.NaN })).toBe('train: learningRate: expected a finite number, got number NaN');
    expect(message({ steps: 2, loss: 'toString' })).toBe('train: loss: expected one of "hinge", "wasserstein", got string "toString"');
    expect(message({ steps: 2, optimizers: null })).toBe('train: optimizers: expected object, got null');
    expect(message({ steps: 2, optimizers: { generator: { beta1: 2 } } })).toBe('train: optimizers.generator.beta1: expected ≤ 1, got number 2');
    expect(message({ steps: 2, name: '' })).toBe('train: name: expected a non-empty name, got string ""');
    expect(message({ steps: 2, epoch: 1 })).toBe('train: unknown option "epoch"');
    expect(message(undefined)).toBe('train: expected an options object, got undefined');
    expect(message(new Map())).toBe('train: expected an options object, got a Map');
    expect(message([1])).toBe('train: expected an options object, got an array of 1');
  });

  it('describes values by their real type', () => {
    expect([null, undefined, 'x', 1, true, [1, 2], new Float32Array(3), {}, { a: 1 }, () => 1, new Map()].map(describeValue)).toEqual([
      'null',
      'undefined',
      'string "x"',
      'number 1',
      'boolean true',
      'an array of 2',
      'a Float32Array of 3',
      'an empty object',
      'an object with keys a',
      'a function',
      'a Map',
    ]);
  });
});
