import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { DatasetFormatError, InvalidArgumentError } from '@dgm/core';
import { expectFailureWithoutLeaks, type ErrorClass } from '@dgm/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../png.js';
import { blackPng } from '../png-bomb.test-helper.js';
import { gzipBomb } from './bombs.test-helper.js';
import { loadCifar10 } from './cifar10.js';
import { downloadFile } from './download.js';
import { loadImageFolder } from './image-folder.js';
import { loadFashionMnist, loadMnist } from './mnist.js';

// The probe set of issue 14 for the loaders of @dgm/data/node: bad options, files that leave
// their folder through symlinks, files of the wrong kind, decompression and image bombs.

/** An IDX file: magic 0x0000 08 <rank>, sizes, data. */
function idx(dims: number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x0800 | dims.length);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  return new Uint8Array([...new Uint8Array(header.buffer), ...data]);
}

/** An 8×8 JPEG whose frame header (SOF0) says 20000×20000. */
function hugeJpeg(): Uint8Array {
  const bytes = Buffer.from(jpeg.encode({ data: new Uint8Array(8 * 8 * 4), width: 8, height: 8 }, 90).data);
  const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
  bytes.writeUInt16BE(20000, sof + 5);
  bytes.writeUInt16BE(20000, sof + 7);
  return bytes;
}

const png = (value: number) => encodePng({ width: 4, height: 4, channels: 1, pixels: new Uint8Array(16).fill(value) });

/** A CIFAR-10 binary batch of `n` records of label 1. */
const cifarBatch = (n: number) => new Uint8Array(n * 3073).map((_, i) => (i % 3073 === 0 ? 1 : i % 256));

let root: string;
/** A file outside every dataset folder, of a plausible size (a valid PNG, a CIFAR batch). */
let outside: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'dgm-hardening-'));
  outside = join(root, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'secret.png'), png(9));
  await writeFile(join(outside, 'test_batch.bin'), cifarBatch(2));
  await mkdir(join(outside, 'class'));
  await writeFile(join(outside, 'class', 'a.png'), png(9));
});
afterAll(() => rm(root, { recursive: true, force: true }));

let folders = 0;
/** A fresh image folder with cats/a.png, then `setup` run on it. */
async function imageFolder(setup: (dir: string) => Promise<unknown>): Promise<string> {
  const dir = join(root, `folder-${folders++}`);
  await mkdir(join(dir, 'cats'), { recursive: true });
  await writeFile(join(dir, 'cats', 'a.png'), png(1));
  await setup(dir);
  return dir;
}

/** Runs `call`, which must fail with `error` holding `message` and leave no tensor behind. */
function failure(call: () => Promise<unknown>, error: ErrorClass, message: string | RegExp): Promise<Error> {
  return expectFailureWithoutLeaks(call, { error, message });
}

describe('loadImageFolder', () => {
  const shape = [4, 4, 1] as const;
  const cases: [string, (dir: string) => Promise<unknown>, RegExp][] = [
    ['a folder named x.png (EISDIR)', (d) => mkdir(join(d, 'cats', 'x.png')), /loadImageFolder: .*cats\/x\.png is a folder, expected a file/],
    ['a dangling symlink (ENOENT)', (d) => symlink(join(d, 'nowhere.png'), join(d, 'cats', 'y.png')), /loadImageFolder: .*cats\/y\.png is a dangling symlink/],
    ['a symlink to /etc/passwd', (d) => symlink('/etc/passwd', join(d, 'cats', 'p.png')), /cats\/p\.png resolves to \/etc\/passwd, outside the dataset folder .*; symlinks may not leave it/],
    ['a symlink to a valid image outside the folder', (d) => symlink(join(outside, 'secret.png'), join(d, 'cats', 's.png')), /cats\/s\.png resolves to .*outside\/secret\.png, outside the dataset folder/],
    ['a symlinked class folder pointing outside', (d) => symlink(join(outside, 'class'), join(d, 'dogs')), /dogs resolves to .*outside\/class, outside the dataset folder/],
    ['a dangling symlink among the classes', (d) => symlink(join(d, 'gone'), join(d, 'birds')), /birds is a dangling symlink/],
    ['a PNG whose IHDR declares 20000×20000', (d) => writeFile(join(d, 'cats', 'big.png'), blackPng(20000, 20000)), /cannot decode .*big\.png: decodePng: the PNG declares 20000×20000 = 400000000 pixels, more than maxPixels = 33554432/],
    ['a JPEG whose frame header declares 20000×20000', (d) => writeFile(join(d, 'cats', 'big.jpg'), hugeJpeg()), /cannot decode .*big\.jpg: the JPEG declares more than maxPixels = 33554432 pixels/],
    ['a class folder with no images', (d) => mkdir(join(d, 'empty')), /class folder .*empty has no \.png or \.jpg images/],
  ];
  it.each(cases)('refuses %s with a DatasetFormatError naming the file', async (_name, setup, message) => {
    const dir = await imageFolder(setup);
    const start = performance.now();
    await failure(() => loadImageFolder({ dir, shape }), DatasetFormatError, message);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('follows symlinks that stay inside the folder', async () => {
    const dir = await imageFolder(async (d) => {
      await symlink(join(d, 'cats', 'a.png'), join(d, 'cats', 'b.png'));
      await symlink(join(d, 'cats'), join(d, 'kittens'));
    });
    const data = await loadImageFolder({ dir, shape });
    expect(data).toMatchObject({ count: 4, classNames: ['cats', 'kittens'] });
  });

  it('takes maxPixels and maxBytes', async () => {
    const dir = await imageFolder(async () => undefined);
    await failure(() => loadImageFolder({ dir, shape, maxPixels: 15 }), DatasetFormatError, 'declares 4×4 = 16 pixels, more than maxPixels = 15');
    await failure(() => loadImageFolder({ dir, shape, maxBytes: 10 }), DatasetFormatError, /a\.png has \d+ bytes, more than maxBytes = 10; pass a larger maxBytes/);
    expect((await loadImageFolder({ dir, shape, maxPixels: 16 })).count).toBe(1);
  });

  const options: [string, unknown, string][] = [
    ['no options', undefined, 'loadImageFolder: expected an options object, got undefined'],
    ['shape [8, 8, 2]', { dir: 'x', shape: [8, 8, 2] }, 'loadImageFolder: shape[2]: expected one of 1, 3, 4, got number 2'],
    ['shape as a string', { dir: 'x', shape: '8,8,3' }, 'loadImageFolder: shape: expected [height, width, channels], got string "8,8,3"'],
    ['shape missing', { dir: 'x' }, 'loadImageFolder: shape: expected [height, width, channels], got undefined'],
    ['dir missing', { shape: [4, 4, 1] }, 'loadImageFolder: dir: expected string, got undefined'],
    ['an unknown fit', { dir: 'x', shape: [4, 4, 1], fit: 'crop' }, 'fit: expected one of "cover", "stretch", got string "crop"'],
    ['maxPixels NaN', { dir: 'x', shape: [4, 4, 1], maxPixels: NaN }, 'maxPixels: expected a finite number, got number NaN'],
    ['a misspelled option', { dir: 'x', shape: [4, 4, 1], maxPixel: 9 }, 'unknown option "maxPixel"'],
  ];
  it.each(options)('refuses %s with an InvalidArgumentError', async (_name, value, message) => {
    await failure(() => loadImageFolder(value as never), InvalidArgumentError, message);
  });
});

describe('loadMnist and loadFashionMnist from a folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(root, 'mnist');
    await mkdir(dir);
  });
  const put = async (name: string, content: Uint8Array | { link: string }) => {
    await rm(join(dir, name), { force: true });
    await rm(join(dir, `${name}.gz`), { force: true });
    if (content instanceof Uint8Array) await writeFile(join(dir, name), content);
    else await symlink(content.link, join(dir, name));
  };
  const labels = idx([2], Uint8Array.of(3, 4));

  it('refuses a symlink to /etc/passwd and one to a well-formed file outside', async () => {
    await put('train-labels-idx1-ubyte', labels);
    await put('train-images-idx3-ubyte', { link: '/etc/passwd' });
    await failure(() => loadMnist({ source: { dir } }), DatasetFormatError, /train-images-idx3-ubyte resolves to \/etc\/passwd, outside the dataset folder/);
    await writeFile(join(outside, 'images'), idx([2, 28, 28], new Uint8Array(2 * 784)));
    await put('train-images-idx3-ubyte', { link: join(outside, 'images') });
    await failure(() => loadFashionMnist({ source: { dir } }), DatasetFormatError, /resolves to .*outside\/images, outside the dataset folder/);
    await put('train-images-idx3-ubyte', { link: join(dir, 'missing') });
    await failure(() => loadMnist({ source: { dir } }), DatasetFormatError, /train-images-idx3-ubyte is a dangling symlink/);
  });

  it('refuses a .gz bomb (≥ 1 GiB of zeros in ~1 MB) from its gzip trailer, in well under a second', async () => {
    const bomb = gzipBomb(idx([60000, 28, 28], new Uint8Array(0)), 1100);
    expect(bomb.length).toBeLessThan(2e6);
    await put('train-labels-idx1-ubyte', labels);
    await put('train-images-idx3-ubyte', new Uint8Array(0));
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), bomb);
    await rm(join(dir, 'train-images-idx3-ubyte'));
    const start = performance.now();
    await failure(() => loadMnist({ source: { dir } }), DatasetFormatError, /train-images-idx3-ubyte\.gz: gzip trailer declares 1153433616 bytes uncompressed, more than 47040016 \(mnist train has at most 60000 images of 28×28\)/);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('stops a .gz bomb whose trailer lies as soon as it inflates past the declared size', async () => {
    // 16 GiB inflated: read to its end, it would take many seconds more than the bound (on a loaded machine too).
    const bomb = gzipBomb(idx([60000, 28, 28], new Uint8Array(0)), 16_000, 16 + 60000 * 784);
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), bomb);
    const start = performance.now();
    await failure(() => loadMnist({ source: { dir } }), DatasetFormatError, 'inflates to more than the 47040016 bytes its gzip trailer declares');
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it('refuses an IDX header that declares more images than the split has, gzipped or not, before inflating', async () => {
    const huge = idx([100_000_000, 28, 28], new Uint8Array(784));
    await put('train-images-idx3-ubyte', huge);
    const message = 'IDX header declares 100000000×28×28 = 78400000000 bytes of data, more than 47040000 (mnist train has at most 60000 images of 28×28)';
    await failure(() => loadMnist({ source: { dir } }), DatasetFormatError, message);
    await put('train-images-idx3-ubyte', idx([2, 28, 28], new Uint8Array(2 * 784)));
    await put('train-labels-idx1-ubyte', gzipSync(idx([3_000_000_000], new Uint8Array(10))));
    await failure(() => loadMnist({ source: { dir } }), DatasetFormatError, 'IDX header declares 3000000000 = 3000000000 bytes of data, more than 60000');
  });

  it('takes maxBytes, and refuses a 0-image split at load time', async () => {
    await put('train-images-idx3-ubyte', idx([2, 28, 28], new Uint8Array(2 * 784)));
    await put('train-labels-idx1-ubyte', labels);
    await failure(() => loadMnist({ source: { dir }, maxBytes: 1000 }), DatasetFormatError, 'train-images-idx3-ubyte has 1584 bytes, more than maxBytes = 1000');
    expect((await loadMnist({ source: { dir }, maxBytes: 1584 })).count).toBe(2);
    await put('train-images-idx3-ubyte', idx([0, 28, 28], new Uint8Array(0)));
    await put('train-labels-idx1-ubyte', idx([0], new Uint8Array(0)));
    await failure(() => loadMnist({ source: { dir } }), DatasetFormatError, 'no images (a dataset needs at least one)');
  });

  const options: [string, unknown, string][] = [
    ['a split that does not exist', { split: 'validation' }, 'loadMnist: split: expected one of "train", "test", got string "validation"'],
    ['a source that is not one', { source: 'internet' }, "loadMnist: source: expected 'embedded', { dir } or { download: true | { cacheDir, baseUrl } }, got string \"internet\""],
    ['a dir that is a number', { source: { dir: 3 } }, 'loadMnist: source: expected'],
    ['maxBytes as a string', { maxBytes: '1e9' }, 'loadMnist: maxBytes: expected a finite number, got string "1e9"'],
    ['options that are an array', [], 'loadMnist: expected an options object, got an array of 0'],
  ];
  it.each(options)('refuses %s with an InvalidArgumentError', async (_name, value, message) => {
    await failure(() => loadMnist(value as never), InvalidArgumentError, message);
  });
});

describe('loadCifar10', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(root, 'cifar');
    await mkdir(dir);
    await writeFile(join(dir, 'test_batch.bin'), cifarBatch(2));
  });

  it('refuses a batches.meta.txt with 3 names for 10 classes', async () => {
    await writeFile(join(dir, 'batches.meta.txt'), 'cat\ndog\nbird\n');
    await failure(() => loadCifar10({ split: 'test', source: { dir } }), DatasetFormatError, /batches\.meta\.txt names 3 classes, expected 10 \(one name a line\)/);
    await rm(join(dir, 'batches.meta.txt'));
    expect((await loadCifar10({ split: 'test', source: { dir } })).count).toBe(2);
  });

  it('refuses batches and batch folders that resolve outside the given folder', async () => {
    const parent = join(root, 'cifar-parent');
    await mkdir(parent);
    await symlink(outside, join(parent, 'cifar-10-batches-bin'));
    await failure(() => loadCifar10({ split: 'test', source: { dir: parent } }), DatasetFormatError, /cifar-10-batches-bin resolves to .*outside, outside the dataset folder/);
    const linked = join(root, 'cifar-linked');
    await mkdir(linked);
    await symlink(join(outside, 'test_batch.bin'), join(linked, 'test_batch.bin'));
    await failure(() => loadCifar10({ split: 'test', source: { dir: linked } }), DatasetFormatError, /test_batch\.bin resolves to .*outside\/test_batch\.bin, outside the dataset folder/);
    await rm(join(linked, 'test_batch.bin'));
    await mkdir(join(linked, 'test_batch.bin'));
    await failure(() => loadCifar10({ split: 'test', source: { dir: linked } }), DatasetFormatError, /test_batch\.bin is a folder, expected a file/);
  });

  it('refuses bad options with an InvalidArgumentError', async () => {
    await failure(() => loadCifar10(undefined as never), InvalidArgumentError, 'loadCifar10: expected an options object, got undefined');
    await failure(() => loadCifar10({ source: { dir }, split: 'valid' as never }), InvalidArgumentError, 'split: expected one of "train", "test", got string "valid"');
    await failure(() => loadCifar10({ source: { dir }, maxBytes: -1 }), InvalidArgumentError, 'maxBytes: expected ≥ 1, got number -1');
  });
});

describe('downloadFile', () => {
  it('checks its options before touching the network', async () => {
    const sha256 = '0'.repeat(64);
    await failure(() => downloadFile({ url: 'file:///etc/passwd', sha256, dest: join(root, 'x') }), InvalidArgumentError, 'downloadFile: url: expected an http(s) URL, got string "file:///etc/passwd"');
    await failure(() => downloadFile({ url: 'https://example.com/x', sha256: 'abc', dest: join(root, 'x') }), InvalidArgumentError, 'sha256: expected 64 hex digits, got string "abc"');
    await failure(() => downloadFile({ url: 'https://example.com/x', sha256, dest: '' }), InvalidArgumentError, 'dest: expected length ≥ 1, got string ""');
  });
});
