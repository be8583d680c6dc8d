import * as z from 'zod';
import { InvalidArgumentError } from './errors.js';

/**
 * A value for messages, with its real type: `string "0.001"`, `number NaN`, `null`,
 * `an array of 3`, `an object with keys a, b`, `a function`.
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${(value as unknown as ArrayLike<unknown>).length ?? value.byteLength}`;
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== null && prototype !== Object.prototype) return `a ${(prototype.constructor as { name?: string } | undefined)?.name ?? 'object'}`;
  const keys = Object.keys(value);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`;
}

/** What a zod issue expected, in words. */
function expectation(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected === 'number' ? 'a finite number' : issue.expected === 'int' ? 'an integer' : issue.expected}`;
    case 'too_small':
      return `expected ${issue.origin === 'array' || issue.origin === 'string' ? `length ${issue.inclusive ? '≥' : '>'} ${issue.minimum}` : `${issue.inclusive ? '≥' : '>'} ${issue.minimum}`}`;
    case 'too_big':
      return `expected ${issue.origin === 'array' || issue.origin === 'string' ? `length ${issue.inclusive ? '≤' : '<'} ${issue.maximum}` : `${issue.inclusive ? '≤' : '<'} ${issue.maximum}`}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return `expected ${issue.message ?? 'a valid value'}`;
  }
}

const pathText = (path: readonly PropertyKey[]) => path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');

/** True for `{ … }` and `Object.create(null)`: not an array, a Map, a class instance or a primitive. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Checks `value` against a zod schema and returns the parsed value, or throws an
 * InvalidArgumentError naming the caller, the option's path and what was expected and given
 * (`trainGan: optimizers.generator.learningRate: expected a finite number, got string "0.001"`).
 * Custom messages of a schema (`{ error: 'expected …' }`) take the place of the expectation.
 * Options objects (an object schema) must be plain objects: `{ … }`, not an array, a Map or a
 * class instance (whose prototype's keys would pass for options).
 */
export function parseOptions<T extends z.ZodType>(schema: T, value: unknown, caller: string): z.output<T> {
  if (schema instanceof z.ZodObject && !isPlainObject(value)) throw new InvalidArgumentError(`${caller}: expected an options object, got ${describeValue(value)}`);
  const result = schema.safeParse(value, { reportInput: true, error: (issue) => expectation(issue) });
  if (result.success) return result.data;
  const messages = result.error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length === 0 ? '' : `${pathText(issue.path)}: `;
    if (issue.code === 'unrecognized_keys') return `${where}unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    return `${where}${issue.message}, got ${describeValue(issue.input)}`;
  });
  throw new InvalidArgumentError(`${caller}: ${messages.join('; ')}`);
}
