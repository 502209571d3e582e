// Starts Debian's Chromium through playwright-core with a fresh profile. Playwright never
// downloads a browser here: the machine has none to fetch, so executablePath is required.
// Example: const b = await launchBrowser(); const page = b.page; ...; await b.close();
// Tests use withPage, which adds screenshots, page-error checks and clean-up around that.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const kChromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser({ executablePath = process.env.MADE0_CHROMIUM ?? '/usr/bin/chromium' } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'made0-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: kChromiumArgs,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

// withPage runs body({ page, shot }) in a fresh browser for test context t. shot(name, { fullPage })
// saves <shotDir>/<prefix><name>.png and reports its path; an uncaught error in the page fails the
// test; on any failure the page is saved as <prefix>failure.png; the browser is always closed.
export async function withPage(t, { shotDir, prefix = '', fullPage = true, timeoutMs = 15_000 }, body) {
  await mkdir(shotDir, { recursive: true });
  const browser = await launchBrowser();
  const { page } = browser;
  page.setDefaultTimeout(timeoutMs);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const shot = async (name, options = {}) => {
    const path = join(shotDir, `${prefix}${name}.png`);
    await page.screenshot({ path, fullPage: options.fullPage ?? fullPage });
    t.diagnostic(`screenshot ${path}`);
  };
  try {
    await body({ page, shot });
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  } catch (e) {
    const path = join(shotDir, `${prefix}failure.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => undefined);
    t.diagnostic(`failed at ${page.url()}; see ${path}`);
    throw e;
  } finally {
    await browser.close();
  }
}
