// pnpm --filter @dgm/cli screenshot RUN_DIR OUT.png: writes RUN_DIR's report and a screenshot of
// its summary, curves and grids in Debian's Chromium (CHROMIUM_PATH overrides), offline.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [runDir, out = 'report.png'] = process.argv.slice(2);
if (runDir === undefined) throw new Error('usage: pnpm --filter @dgm/cli screenshot RUN_DIR [OUT.png]');
execFileSync(process.execPath, [join(import.meta.dirname, '../dist/node/bin.js'), 'report', '--run', runDir], { stdio: 'inherit' });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: 980, height: 1400 }, offline: true });
await page.goto(pathToFileURL(resolve(runDir, 'report.html')).href);
await page.waitForSelector('.uplot canvas');
const gridsEnd = await page.locator('.grid').last().evaluate((element) => element.getBoundingClientRect().bottom + window.scrollY);
await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 980, height: Math.ceil(gridsEnd) + 10 } });
await browser.close();
console.log(out);
