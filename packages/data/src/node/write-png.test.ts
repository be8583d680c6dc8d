import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { decodePng } from '../png.js';
import { writePng } from './write-png.js';

it.each([1, 3, 4] as const)('writePng output decodes back to the same pixels (%i channels)', async (channels) => {
  const dir = await mkdtemp(join(tmpdir(), 'dgm-png-'));
  const [width, height] = [7, 5];
  const pixels = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37) % 256);
  const path = join(dir, 'sub', 'image.png');
  await writePng(path, { width, height, channels, pixels });
  expect(await readdir(join(dir, 'sub'))).toEqual(['image.png']); // no temporary file left
  const decoded = decodePng(await readFile(path), channels);
  expect(decoded).toMatchObject({ width, height, channels });
  expect(Array.from(decoded.pixels)).toEqual(Array.from(pixels));
  await rm(dir, { recursive: true });
});
