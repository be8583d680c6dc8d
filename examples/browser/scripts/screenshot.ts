// The README's screenshot (screenshot.png): the built page in headless Chromium after it trained a
// DCGAN on wasm + @dgm/kernels for SECONDS (default 60) and scored the pre-trained generator.
// pnpm --filter @example/browser build && pnpm --filter @example/browser screenshot [SECONDS]
import { fileURLToPath } from 'node:url';
import { openPage, startPage } from '../test/chromium.js';

const seconds = Number(process.argv[2] ?? 60);
const { browser, url, close } = await startPage();
try {
  const { page, errors } = await openPage(browser, url);
  await page.setViewportSize({ width: 1100, height: 1000 });
  await page.waitForFunction(() => document.getElementById('pretrained-status')!.textContent!.startsWith('Samples'));
  await page.selectOption('#backend', 'wasm');
  await page.click('#start');
  await page.waitForTimeout(seconds * 1000);
  await page.click('#pause');
  await page.waitForFunction(() => !(document.getElementById('start') as HTMLButtonElement).disabled);
  await page.click('#score-pretrained');
  await page.waitForFunction(() => document.getElementById('scores')!.textContent!.includes('FID'), undefined, { timeout: 300_000 });
  await page.screenshot({ path: fileURLToPath(new URL('../screenshot.png', import.meta.url)), fullPage: true });
  console.log(await page.locator('#status').textContent());
  console.log(await page.locator('#scores').textContent());
  if (errors.length > 0) throw new Error(`console errors: ${errors.join('; ')}`);
} finally {
  await close();
}
