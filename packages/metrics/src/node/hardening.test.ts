import { cp, mkdtemp, readdir, rm, symlink, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { CheckpointError, initBackend, InvalidArgumentError, ShapeMismatchError } from '@dgm/core';
import { expectNoLeakedTensors } from '@dgm/core/testing';
import { fileSystemHandler } from '@dgm/models/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateImages } from '../evaluate-images.js';
import { extractFeatures } from '../extract-features.js';
import { loadExtractor, loadShippedReference, type LoadedExtractor } from './load-extractor.js';

let extractor: LoadedExtractor;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  extractor = await loadExtractor({ name: 'mnist-cnn' });
});
afterAll(() => extractor.model.dispose());

async function expectFailure(call: () => Promise<unknown>, errorClass: typeof InvalidArgumentError | typeof CheckpointError, fragment: string): Promise<void> {
  let error: unknown;
  await expectNoLeakedTensors(async () => {
    error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
  });
  expect(errorClass.isInstance(error), String(error)).toBe(true);
  expect((error as Error).message).toContain(fragment);
}

describe('the shipped extractors', () => {
  it('refuse 32×32×3 images with a ShapeMismatchError naming both shapes, before predicting', async () => {
    const colour = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([8, 32, 32, 3], 0, 1, 'float32', 4), 2), 1) as tf.Tensor4D);
    await expectFailure(() => extractFeatures({ extractor, images: colour }), ShapeMismatchError, 'extractFeatures: extractor mnist-cnn takes images of shape [n, 28, 28, 1], got [8, 32, 32, 3]');
    const reference = await loadShippedReference({ name: 'mnist-cnn' });
    await expectFailure(() => evaluateImages({ extractor, generated: colour, reference }), ShapeMismatchError, 'evaluateImages (generated): extractor mnist-cnn takes images of shape [n, 28, 28, 1], got [8, 32, 32, 3]');
    tf.dispose(colour);
  });

  it('refuse bad options of loadExtractor and loadShippedReference with typed errors', async () => {
    await expectFailure(() => loadExtractor(undefined as never), InvalidArgumentError, 'loadExtractor: expected an options object, got undefined');
    await expectFailure(() => loadExtractor({ name: 'toString' as never }), InvalidArgumentError, 'loadExtractor: unknown extractor "toString"; shipped: mnist-cnn, fashion-mnist-cnn');
    await expectFailure(() => loadExtractor({ name: 'mnist-cnn', from: 3 as never }), InvalidArgumentError, 'loadExtractor: from: expected a model.json URL or a tf.io.IOHandler with load(), got number 3');
    await expectFailure(() => loadShippedReference(undefined as never), InvalidArgumentError, 'loadShippedReference: expected an options object, got undefined');
    await expectFailure(() => loadShippedReference({ name: '__proto__' as never }), InvalidArgumentError, 'loadShippedReference: unknown extractor "__proto__"');
  });

  it('loaded from a folder whose weights are a symlink outside it: refused with CheckpointError', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dgm-extractor-'));
    try {
      const dir = join(root, 'mnist-cnn');
      await cp(fileURLToPath(new URL('../../extractors/mnist-cnn/', import.meta.url)), dir, { recursive: true });
      const weights = (await readdir(dir)).find((f) => f.endsWith('.bin'))!;
      await rename(join(dir, weights), join(root, weights));
      await symlink(join(root, weights), join(dir, weights));
      await expectFailure(() => loadExtractor({ name: 'mnist-cnn', from: fileSystemHandler({ dir }) }), CheckpointError, `resolves to ${join(root, weights)}, outside the model's folder`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
