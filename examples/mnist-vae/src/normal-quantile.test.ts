import { InvalidArgumentError } from '@dgm/core';
import { expect, it } from 'vitest';
import { normalQuantile } from './normal-quantile.js';

it('inverts the standard normal CDF (scipy.stats.norm.ppf values)', () => {
  const cases: [number, number][] = [
    [0.5, 0],
    [0.95, 1.6448536269514722],
    [0.05, -1.6448536269514729],
    [0.975, 1.959963984540054],
    [0.01, -2.3263478740408408],
    [0.999, 3.090232306167813],
    [0.3, -0.5244005127080407],
  ];
  for (const [p, z] of cases) expect(normalQuantile(p)).toBeCloseTo(z, 8);
});

it('refuses p outside (0, 1)', () => {
  for (const p of [0, 1, -0.1, Number.NaN]) expect(InvalidArgumentError.isInstance(catchError(() => normalQuantile(p)))).toBe(true);
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}
