import { InvalidArgumentError } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { fromArrays } from '@dgm/data';
import { createCvae, createVae } from '@dgm/models';
import { expect, it } from 'vitest';
import { interpolationGrid, manifoldGrid } from './latent-grids.js';

const isInvalid = (error: unknown) => InvalidArgumentError.isInstance(error);

/** Tiles of 28 pixels with imageGrid's default padding of 2. */
const side = (n: number) => n * 28 + (n + 1) * 2;

const images = Uint8Array.from({ length: 6 * 28 * 28 }, (_, i) => (i * 37) % 256);
const data = fromArrays({ images, shape: [28, 28, 1], labels: [3, 1, 4, 1, 5, 9], classNames: [...'0123456789'] });

describeWithBackends(
  'latent grids',
  () => {
    it('interpolates between pairs of images, row by row, without leaking tensors', async () => {
      const vae = createVae({ imageShape: [28, 28, 1], latentDim: 3, encoderFilters: 4, decoderFilters: 4 });
      const grid = await expectNoLeakedTensors(() => interpolationGrid({ vae, data, rows: 3, columns: 5 }));
      expect([grid.width, grid.height, grid.channels]).toEqual([side(5), side(3), 1]);
      expect(await interpolationGrid({ vae, data, rows: 3, columns: 5 })).toEqual(grid);
      const cvae = createCvae({ imageShape: [28, 28, 1], latentDim: 2, encoderFilters: 4, decoderFilters: 4, numClasses: 10 });
      const conditional = await expectNoLeakedTensors(() => interpolationGrid({ vae: cvae, data, rows: 3 }));
      expect([conditional.width, conditional.height]).toEqual([side(10), side(3)]);
    }, 30_000);

    it('decodes the 2-D manifold on the normal quantiles of an even grid', async () => {
      const vae = createVae({ imageShape: [28, 28, 1], latentDim: 2, encoderFilters: 4, decoderFilters: 4 });
      const grid = await expectNoLeakedTensors(() => manifoldGrid({ vae }));
      expect([grid.width, grid.height]).toEqual([side(20), side(20)]);
      const cvae = createCvae({ imageShape: [28, 28, 1], latentDim: 2, encoderFilters: 4, decoderFilters: 4, numClasses: 10 });
      const small = await expectNoLeakedTensors(() => manifoldGrid({ vae: cvae, size: 4, label: 7 }));
      expect([small.width, small.height]).toEqual([side(4), side(4)]);
    }, 30_000);

    it('refuses what it cannot draw', async () => {
      const vae = createVae({ imageShape: [28, 28, 1], latentDim: 3, encoderFilters: 4, decoderFilters: 4 });
      await expect(manifoldGrid({ vae })).rejects.toSatisfy(isInvalid);
      await expect(interpolationGrid({ vae, data, rows: 4 })).rejects.toSatisfy(isInvalid);
      await expect(interpolationGrid({ vae, data, columns: 1 })).rejects.toSatisfy(isInvalid);
    });
  },
  { backends: ['cpu'] },
);
