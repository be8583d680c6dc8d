import { InvalidArgumentError as CommanderArgumentError } from 'commander';

/** Flag parsers for commander: a bad value is a usage error (exit code 2) naming the flag. */
export const integer = (min: number) => (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new CommanderArgumentError(`expected an integer ≥ ${min}`);
  return n;
};

export const positive = (text: string) => {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new CommanderArgumentError('expected a positive number');
  return n;
};

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export const example = (text: string) => `\nExample:\n  ${text}\n`;
