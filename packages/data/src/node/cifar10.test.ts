import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCifar10 } from './cifar10.js';

/** A batch in the CIFAR-10 binary format: per record 1 label byte, then 1024 red, 1024 green, 1024 blue bytes. */
function batch(labels: number[], first: number): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((label, r) => {
    out[r * 3073] = label;
    for (let plane = 0; plane < 3; plane++) {
      for (let p = 0; p < 1024; p++) out[r * 3073 + 1 + plane * 1024 + p] = (first + r * 7 + plane * 50 + p) % 256;
    }
  });
  return out;
}

describe('loadCifar10', () => {
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dgm-cifar-'));
    dir = join(root, 'cifar-10-batches-bin');
    await mkdir(dir);
    for (let b = 1; b <= 5; b++) await writeFile(join(dir, `data_batch_${b}.bin`), batch([b, (b + 3) % 10, 9], b * 10));
    await writeFile(join(dir, 'test_batch.bin'), batch([0, 1, 2, 3], 200));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reads the five train batches in order, as HWC pixels', async () => {
    const train = await loadCifar10({ source: { dir: root } });
    expect(train).toMatchObject({ name: 'cifar10', split: 'train', shape: [32, 32, 3], count: 15 });
    expect(Array.from(train.labels!)).toEqual([1, 4, 9, 2, 5, 9, 3, 6, 9, 4, 7, 9, 5, 8, 9]);
    expect(train.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    // Image 4 is record 1 of data_batch_2 (first = 20): pixel p has red 20+7+p, green +50, blue +100.
    const image = train.images.subarray(4 * 3072, 5 * 3072);
    for (const p of [0, 1, 33, 1023]) {
      expect(Array.from(image.subarray(3 * p, 3 * p + 3))).toEqual([(27 + p) % 256, (77 + p) % 256, (127 + p) % 256]);
    }
  });

  it('reads the test batch from the folder itself, with class names from batches.meta.txt', async () => {
    await writeFile(join(dir, 'batches.meta.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n');
    const test = await loadCifar10({ split: 'test', source: { dir } });
    expect(test.count).toBe(4);
    expect(test.classNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    await rm(join(dir, 'batches.meta.txt'));
  });

  it('rejects truncated batches, labels out of range and missing files with DatasetFormatError', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'dgm-cifar-bad-'));
    const cases: [Uint8Array, RegExp][] = [
      [batch([1, 2], 0).subarray(0, 3073 + 100), /truncated or not a CIFAR-10 binary batch: 3173 bytes is not a whole number of 3073-byte records/],
      [new Uint8Array(0), /truncated or not a CIFAR-10 binary batch: 0 bytes/],
      [batch([1, 10], 0), /record 1 has label 10, expected 0–9/],
    ];
    for (const [bytes, message] of cases) {
      await writeFile(join(bad, 'test_batch.bin'), bytes);
      const error = await loadCifar10({ split: 'test', source: { dir: bad } }).catch((e: unknown) => e);
      expect(DatasetFormatError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    const error = await loadCifar10({ source: { dir: bad } }).catch((e: unknown) => e);
    expect(DatasetFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/data_batch_1\.bin cannot be read \(ENOENT\)/);
    await rm(bad, { recursive: true });
    await expect(loadCifar10({ source: { dir: join(root, 'nowhere') } })).rejects.toThrow(/loadCifar10: cannot read .*nowhere: ENOENT/);
  });

  it('says that no package embeds CIFAR-10', async () => {
    const error = await loadCifar10({ source: 'embedded' as never }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('no npm package ships CIFAR-10');
  });
});
