// End-to-end: a verified user opens the console's Infrastructure page and sees the regions, VPC
// made0 and its three seed-figure-6 subnets drawn as address ranges; then (second test, once the
// infra service runs in the stack) an instance created through made0ctl shows up on its subnet's
// bar, and its saga's timeline runs to completion. Needs a running stack:
//   MADE0_CONSOLE_URL      the console, e.g. http://127.0.0.1:3000 (required)
//   MADE0_MAILDIR          the SMTP sink's maildir (required)
//   MADE0_SCREENSHOT_DIR   where page screenshots go (default ./screenshots beside this file)
//   MADE0_CHROMIUM         browser binary (default /usr/bin/chromium)
//   MADE0CTL               the made0ctl binary for the second test (default: made0ctl on PATH),
//                          with MADE0_STACK_ENV naming the stack's environment file
// Run: MADE0_CONSOLE_URL=... MADE0_MAILDIR=... node --test infra.test.mjs
// Against the development mock (services/frontend/web/dev/mock-api.mjs, MOCK_MAILDIR set), the
// first test passes as well: the mock serves the same network.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withPage } from './lib/browser.mjs';
import { waitForVerificationLink } from './lib/maildir.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const consoleUrl = (process.env.MADE0_CONSOLE_URL ?? '').replace(/\/+$/, '');
const maildir = process.env.MADE0_MAILDIR ?? '';
const shotDir = resolve(process.env.MADE0_SCREENSHOT_DIR ?? join(here, 'screenshots'));
const made0ctl = process.env.MADE0CTL ?? 'made0ctl';

const kStepTimeoutMs = 15_000;
const kFigure6 = [
  ['made0-us-east-1a', 'us-east-1a', '172.16.128.0/17', '50%'],
  ['made0-us-east-1b', 'us-east-1b', '172.16.64.0/18', '25%'],
  ['made0-us-east-1c', 'us-east-1c', '172.16.32.0/19', '12.5%'],
];

test('a verified user sees the regions, VPC made0 and its figure-6 subnets', { timeout: 180_000 }, async (t) => {
  await withVerifiedUser(t, 'infra-network', async ({ page, shot }) => {
    // Reached from the home page's navigation.
    await page.getByTestId('nav-infra').click();
    await page.waitForURL((u) => u.pathname === '/infra');
    await page.getByTestId('page-infra').waitFor();

    const east = page.locator('[data-testid=region][data-region="us-east-1"]');
    await east.waitFor();
    await assertText(east.locator('.region-head'), 'primary');
    await page.locator('[data-testid=region][data-region="eu-west-1"]').waitFor();

    const vpc = east.locator('[data-testid=vpc][data-vpc="made0"]');
    await vpc.waitFor();
    await assertText(vpc.locator('.vpc-head'), '172.16.0.0/16');
    for (const [name, zone, cidr, share] of kFigure6) {
      // On the VPC's bar each subnet takes its CIDR's share of the range...
      const segment = vpc.locator(`[data-testid=vpc-segment][data-subnet="${name}"]`);
      await segment.waitFor();
      assert.match(
        (await segment.getAttribute('title')) ?? '',
        new RegExp(`${cidr}.*${zone}.*${share.replace('.', '\\.')}`),
      );
      // ...and has its own row with its address range.
      const row = vpc.locator(`[data-testid=subnet-row][data-subnet="${name}"]`);
      await assertText(row, cidr);
      await assertText(row, zone);
    }
    assert.equal(await vpc.getByTestId('subnet-row').count(), 3, 'VPC made0 has the three figure-6 subnets');
    await shot('01-infra-networks');

    // The lists and the timeline's card are there, whatever they hold on this stack.
    await page.getByTestId('instances-card').waitFor();
    await page.getByTestId('sagas-card').waitFor();
    await page.getByTestId('saga-panel').waitFor();
    await shot('02-infra-page', { fullPage: true });
  });
});

// An instance is asked for through made0ctl, as a person would (run.sh points MADE0CTL at the
// build's binary and MADE0_STACK_ENV at the test stack, whose registry finds infra).
test(
  'an instance made through made0ctl shows on its subnet bar, and its saga on the timeline',
  { timeout: 240_000 },
  async (t) => {
    await withVerifiedUser(t, 'infra-instance', async ({ page, shot }) => {
      const cluster = `e2e-${randomBytes(3).toString('hex')}`;
      const out = await promisify(execFile)(
        made0ctl,
        ['create', 'instance', '--cluster', cluster, '--region', 'us-east-1', '--az', 'us-east-1a', '-o', 'json'],
        { timeout: 30_000 },
      );
      const { saga_id: sagaId } = JSON.parse(out.stdout);
      t.diagnostic(`made0ctl started saga ${sagaId} for cluster ${cluster}`);
      assert.match(sagaId, /^saga-[0-9a-f]{16}$/);

      // The saga appears in the list and its timeline follows it live until it completes.
      await page.goto(`${consoleUrl}/infra`);
      const sagaRow = page.locator(`[data-testid=saga-row][data-saga-id="${sagaId}"]`);
      await sagaRow.waitFor({ timeout: 30_000 });
      await sagaRow.click();
      const timeline = page.getByTestId('saga-timeline');
      await timeline.waitFor();
      await shot('03-saga-running');
      await assertText(page.getByTestId('saga-panel').getByTestId('saga-status'), 'Completed', 120_000);
      const steps = page.locator('[data-testid=timeline-row][data-direction=forward]');
      assert.equal(await steps.count(), 8, 'CreateInstance has eight steps');
      for (const state of await steps.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')))) {
        assert.equal(state, 'succeeded');
      }
      await shot('04-saga-completed');

      // The instance is in the list, running, and marked on us-east-1a's bar at its address.
      const instRow = page.locator('[data-testid=instance-row]').filter({ hasText: cluster });
      await instRow.waitFor({ timeout: 30_000 });
      await assertText(instRow.getByTestId('instance-state'), 'running');
      const instanceId = await instRow.getAttribute('data-instance-id');
      const subnet = page.locator('[data-testid=subnet-row][data-subnet="made0-us-east-1a"]');
      await subnet.locator(`[data-testid=instance-mark][data-instance-id="${instanceId}"]`).waitFor();
      await subnet.locator(`[data-testid=address-instance][data-instance-id="${instanceId}"]`).waitFor();
      await subnet.scrollIntoViewIfNeeded();
      await shot('05-instance-on-subnet');
    });
  },
);

// withVerifiedUser signs a new user up, confirms the address from the mail, logs in, and runs
// body on the home page; screenshots are named after `prefix`.
async function withVerifiedUser(t, prefix, body) {
  assert.ok(consoleUrl, 'set MADE0_CONSOLE_URL to the console of a running stack (e.g. http://127.0.0.1:3000)');
  assert.ok(maildir, "set MADE0_MAILDIR to the SMTP sink's maildir");
  await withPage(
    t,
    { shotDir, prefix: `${prefix}-`, fullPage: false, timeoutMs: kStepTimeoutMs },
    async ({ page, shot }) => {
      const email = `e2e-${randomBytes(6).toString('hex')}@example.test`;
      const password = `pw-${randomBytes(9).toString('base64url')}`;
      t.diagnostic(`signing up ${email}`);
      await page.goto(`${consoleUrl}/signup`);
      await page.fill('#f-email', email);
      await page.fill('#f-password', password);
      await page.fill('#f-confirm', password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL((u) => u.pathname === '/check-email');
      const { link } = await waitForVerificationLink(maildir, email, { timeoutMs: 30_000 });
      await page.goto(link);
      await page.getByTestId('page-verify-ok').waitFor();
      await page.waitForURL((u) => u.pathname === '/login');
      await page.fill('#f-email', email);
      await page.fill('#f-password', password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((u) => u.pathname === '/');
      await body({ page, shot });
    },
  );
}

async function assertText(locator, expected, timeoutMs = kStepTimeoutMs) {
  await locator.first().waitFor({ timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = (await locator.first().textContent()) ?? '';
    const ok = typeof expected === 'string' ? text.includes(expected) : expected.test(text);
    if (ok) return;
    if (Date.now() > deadline) assert.fail(`expected ${expected} in ${JSON.stringify(text)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
