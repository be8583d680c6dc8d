import { initBackend } from '@dgm/core';
import { subset } from '@dgm/data';
import { loadMnist } from '@dgm/data/node';
import { evaluateImages } from '@dgm/metrics';
import { loadExtractor, loadShippedReference } from '@dgm/metrics/node';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startPage } from './chromium.js';

let browser: Browser;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ browser, url, close } = await startPage());
});
afterAll(() => close?.());

describe('the page in Chromium', () => {
  it('loads cross-origin isolated, shows the pre-trained samples, with no console errors', async () => {
    const { page, errors } = await openPage(browser, url);
    expect(await page.evaluate(() => window.dgmPage!.isolated)).toBe(true);
    await page.waitForFunction(() => document.getElementById('pretrained-status')!.textContent!.startsWith('Samples'));
    expect(await page.locator('#class-grid').evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const backend of ['webgl', 'wasm', 'cpu'] as const) {
    it(`trains 20 steps on ${backend}: finite losses, a grid that changes`, async () => {
      const { page, errors } = await openPage(browser, url);
      // Narrow on webgl: SwiftShader (software WebGL) takes 6 s a step at the page's widths 32.
      const run = await page.evaluate(([b, filters]) => window.dgmPage!.trainSteps(b, 20, { filters }), [backend, backend === 'webgl' ? 8 : 32] as const);
      expect(run.backend).toBe(backend);
      expect(run.dLosses).toHaveLength(20);
      expect([...run.dLosses, ...run.gLosses].every(Number.isFinite)).toBe(true);
      expect(run.gridAfter).not.toBe(run.gridBefore);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('the shipped conditional GAN draws the class asked for (mnist-cnn in the page, ≥ 90% per class); the wrong class fails', async () => {
    const { page } = await openPage(browser, url);
    const perClass = await page.evaluate(() => window.dgmPage!.pretrainedAccuracy(100));
    expect(Math.min(...perClass)).toBeGreaterThanOrEqual(0.9);
    const shifted = await page.evaluate(() => window.dgmPage!.pretrainedAccuracy(100, 1));
    expect(Math.max(...shifted)).toBeLessThan(0.9);
    await page.close();
  });

  it('the FID of a fixed set of images in the page equals the Node value to 1e-9', async () => {
    const { page } = await openPage(browser, url);
    const inPage = await page.evaluate(() => window.dgmPage!.fixedSetFid(500));
    await initBackend({ backend: 'cpu', fastKernels: false });
    const test = await loadMnist({ split: 'test' });
    const [extractor, reference] = await Promise.all([loadExtractor({ name: 'mnist-cnn' }), loadShippedReference({ name: 'mnist-cnn' })]);
    const [fid] = await evaluateImages({ extractor, generated: subset(test, Array.from({ length: 500 }, (_, i) => i)), reference });
    expect(Math.abs(inPage - fid!.value) / fid!.value).toBeLessThanOrEqual(1e-9);
    extractor.model.dispose();
    await page.close();
  });

  it('a checkpoint saved in the page and loaded back gives the same samples', async () => {
    const { page } = await openPage(browser, url);
    const { before, after, bytes } = await page.evaluate(() => window.dgmPage!.checkpointRoundTrip(3));
    expect(bytes).toBeGreaterThan(1000);
    expect(after).toEqual(before);
    await page.close();
  });

  it('a run kept in IndexedDB is taken up after the page reloads, at its step with the same samples', async () => {
    const { page, errors } = await openPage(browser, url);
    const trained = await page.evaluate(() => window.dgmPage!.keptRun(3));
    await page.reload();
    await page.waitForFunction(() => window.dgmPage !== undefined);
    const resumed = await page.evaluate(() => window.dgmPage!.keptRun());
    expect(trained.step).toBe(3);
    expect(resumed).toEqual(trained);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a GAN saved to IndexedDB through tf.io and loaded back gives the same samples', async () => {
    const { page } = await openPage(browser, url);
    const { before, after } = await page.evaluate(() => window.dgmPage!.savedModelRoundTrip());
    expect(before.length).toBe(4 * 28 * 28);
    expect(after).toEqual(before);
    await page.close();
  });
});
