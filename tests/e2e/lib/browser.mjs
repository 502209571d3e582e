// Starts Debian's Chromium through playwright-core with a fresh profile. Playwright never
// downloads a browser here: the machine has none to fetch, so executablePath is required.
// Example: const b = await launchBrowser(); const page = b.page; ...; await b.close();

import { mkdtemp, rm } from 'node:fs/promises';
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
