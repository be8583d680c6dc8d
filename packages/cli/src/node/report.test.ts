import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '@example/browser/chromium';
import { decodePng } from '@dgm/data';
import { renderReport } from '../render-report.js';
import type { RunReport } from '../run-report.js';
import { dgm, scratch, tiny } from './cli.test-helper.js';

const require = createRequire(import.meta.url);

describe('the run report in Chromium', () => {
  let browser: Browser;
  let runDir: string;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath() });
    runDir = join(scratch(), 'run');
    const flags = ['--set', 'metricsSamples=50', '--set', 'gridEvery=4', '--set', 'checkpointEvery=4', '--metrics-every', '4'];
    const trained = await dgm(['train', '--model', 'dcgan', '--data', 'mnist', '--steps', '12', '--run-dir', runDir, ...tiny, ...flags]);
    expect(trained.code, trained.stderr).toBe(0);
    expect((await dgm(['eval', '--run', runDir, '--samples', '50'])).code).toBe(0);
  }, 120_000);
  afterAll(() => browser?.close());

  it('opens from disk with no network and no console errors, with the curves, the grids over time and a step slider; the screenshot is not blank', async () => {
    const out = join(runDir, 'custom.html');
    const written = await dgm(['report', '--run', runDir, '--out', out]);
    expect(written.code, written.stderr).toBe(0);
    const context = await browser.newContext({ offline: true, viewport: { width: 1000, height: 900 } });
    const requested: string[] = [];
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (requested.push(route.request().url()), route.abort())));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('.uplot canvas');

    // Losses, FID from training (every 4 steps), FID from dgm eval, ms per step.
    const titles = await page.locator('.uplot .u-title').allTextContents();
    expect(titles).toEqual(['losses', 'fid50-mnist-cnn', 'fid50-mnist-cnn (eval)', 'ms per step']);
    expect(await page.locator('.uplot canvas').count()).toBe(4);
    expect(await page.locator('#loss-chart .u-legend').textContent()).toMatch(/dLoss.*gLoss/);

    // Grids at steps 4, 8, 12 and the final one; the slider walks them.
    const slider = page.locator('input[data-grid="samples"]');
    expect(await slider.getAttribute('max')).toBe('3');
    expect(await page.locator('#samples-step').textContent()).toBe('final (final.png)');
    const finalSource = await page.locator('#samples-image').getAttribute('src');
    await slider.fill('0');
    expect(await page.locator('#samples-step').textContent()).toBe('step 4');
    expect(await page.locator('#samples-image').getAttribute('src')).not.toBe(finalSource);
    expect(await page.locator('#samples-image').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBeGreaterThan(100);

    expect(await page.locator('body').textContent()).toMatch(/fastKernels\s*on/);
    const shot = decodePng(new Uint8Array(await page.screenshot({ fullPage: true })));
    const pixels = shot.pixels.length / shot.channels;
    let dark = 0;
    for (let i = 0; i < shot.pixels.length; i += shot.channels) if (shot.pixels[i]! < 128) dark++;
    // Text, charts and grids: a blank (white) page has none.
    expect(dark / pixels).toBeGreaterThan(0.02);
    expect(errors).toEqual([]);
    expect(requested).toEqual([]);
    await context.close();
  });

  it('dgm train wrote and refreshed report.html itself, and the page keeps data that looks like markup as text', async () => {
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('<h1>run</h1>');
    const report: RunReport = {
      title: '</script><script>window.injected = 1</script>',
      writtenAt: '2026-01-01T00:00:00.000Z',
      run: undefined,
      log: { step: [1, 2], series: { dLoss: [1, 0.5] } },
      evaluations: [],
      grids: {},
      checkpoints: [],
      timings: undefined,
    };
    const html = renderReport({ report, chart: { script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'), style: '' } });
    const page = await browser.newPage();
    await page.setContent(html);
    expect(await page.evaluate(() => (window as { injected?: number }).injected)).toBeUndefined();
    expect(await page.locator('h1').textContent()).toBe(report.title);
    expect(await page.locator('.uplot canvas').count()).toBe(1);
    await page.close();
  });
});
