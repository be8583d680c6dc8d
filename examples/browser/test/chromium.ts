import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

// The page's API (window.dgmPage) and its global type.
export type { PageApi } from '../src/page-api.js';

/** Debian's chromium (installed by .ci/run), or the browser that CHROMIUM_PATH names: never a download. */
export function chromiumPath(): string {
  const path = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`no Chromium at ${path}: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH`);
  return path;
}

/** The built page (vite build) served by Vite's preview server on 127.0.0.1, and headless Chromium with WebGL through SwiftShader. */
export async function startPage(): Promise<{ browser: Browser; server: PreviewServer; url: string; close(): Promise<void> }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls!.local[0]!;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--ignore-gpu-blocklist'] });
  return { browser, server, url, close: async () => (await browser.close(), await server.close()) };
}

/** A new tab on the page, with every console error and uncaught exception collected. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  page.on('pageerror', (error) => void errors.push(error.message));
  await page.goto(url);
  await page.waitForFunction(() => window.dgmPage !== undefined);
  return { page, errors };
}
