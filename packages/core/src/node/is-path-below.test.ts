import { expect, it } from 'vitest';
import { isPathBelow } from './is-path-below.js';

it('tells paths strictly below a folder from the folder itself and from paths outside it', () => {
  expect(isPathBelow('/data/run', '/data/run/w.bin')).toBe(true);
  expect(isPathBelow('/data/run', '/data/run/sub/..foo')).toBe(true);
  expect(isPathBelow('/data/run', '/data/run/..foo')).toBe(true);
  expect(isPathBelow('/data/run', '/data/run')).toBe(false);
  expect(isPathBelow('/data/run', '/data')).toBe(false);
  expect(isPathBelow('/data/run', '/data/run2/w.bin')).toBe(false);
  expect(isPathBelow('/data/run', '/etc/passwd')).toBe(false);
});
