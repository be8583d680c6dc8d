import { createRandom } from '@dgm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceProduct } from './reference-product.test-helper.js';
import { gemm } from './gemm.js';
import { WasmRuntime } from './wasm-runtime.js';

const random = createRandom({ seed: 3 });


describe.each([1, 2])('WasmRuntime with %i thread(s)', (threads) => {
  let rt: WasmRuntime;
  beforeAll(async () => {
    rt = await WasmRuntime.load(threads);
  });
  afterAll(() => rt.dispose());

  it('multiplies matrices of edge sizes, across K blocks, with every transpose', () => {
    expect(rt.threads).toBe(threads);
    const shapes = [
      [1, 1, 1],
      [5, 3, 7],
      [13, 17, 300], // k crosses the 256 block
      [64, 9, 33],
      [3, 70, 513],
      [4, 8, 0],
      [4, 600, 700], // split across threads by columns
      [64, 40, 400], // split across threads by rows
      [512, 70, 300], // B packed once, rows in 5 chunks the threads take in turn
    ] as const;
    for (const [m, n, k] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const ptrs = rt.allocate([m * k, k * n, m * n], n)!;
          const [aPtr, bPtr, cPtr] = ptrs as [number, number, number];
          const a = Float32Array.from({ length: m * k }, () => random.normal());
          const b = Float32Array.from({ length: k * n }, () => random.normal());
          rt.view(aPtr, m * k).set(a);
          rt.view(bPtr, k * n).set(b);
          rt.view(cPtr, m * n).fill(Number.NaN); // must be overwritten, not accumulated into
          gemm(rt, { a: aPtr, b: bPtr, c: cPtr, m, n, k, transA, transB });
          const expected = referenceProduct(a, b, m, n, k, transA, transB);
          const actual = rt.view(cPtr, m * n);
          for (let i = 0; i < m * n; i++) {
            expect(Math.abs(actual[i]! - expected[i]!), `${m}×${n}×${k} ${transA} ${transB} at ${i}`).toBeLessThan(1e-4 * (1 + Math.abs(expected[i]!)));
          }
        }
      }
    }
  });

  it('reports a fault in any thread as an error and stays usable', () => {
    const outside = 2 ** 31 - 64; // past the end of memory
    expect(() => rt.run('gemm', [outside, outside, outside, 64, 64, 64, 64, 0, 0, 0, 0, 64, 0, 64, 0], { at: 10, total: 64, align: 4, workAt: 14 }, 1e9)).toThrow(/memory access out of bounds/);
    const [aPtr, bPtr, cPtr] = rt.allocate([4, 4, 4], 2)! as [number, number, number];
    rt.view(aPtr, 4).set([1, 2, 3, 4]);
    rt.view(bPtr, 4).set([1, 0, 0, 1]);
    gemm(rt, { a: aPtr, b: bPtr, c: cPtr, m: 2, n: 2, k: 2 });
    expect(Array.from(rt.view(cPtr, 4))).toEqual([1, 2, 3, 4]);
  });

  it('refuses allocations past its 1 GiB memory', () => {
    expect(rt.allocate([2 ** 28 + 1])).toBeUndefined();
  });
});
