// End-to-end: a person signs up in the console, confirms the address from the mail, logs in
// and looks at the home dashboard and a trace. Needs a running stack:
//   MADE0_CONSOLE_URL      the console, e.g. http://127.0.0.1:3000 (required)
//   MADE0_MAILDIR          the SMTP sink's maildir (required)
//   MADE0_SCREENSHOT_DIR   where page screenshots go (default ./screenshots beside this file)
//   MADE0_CHROMIUM         browser binary (default /usr/bin/chromium)
// Run: MADE0_CONSOLE_URL=... MADE0_MAILDIR=... node --test signup.test.mjs

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withPage } from './lib/browser.mjs';
import { waitForVerificationLink } from './lib/maildir.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const consoleUrl = (process.env.MADE0_CONSOLE_URL ?? '').replace(/\/+$/, '');
const maildir = process.env.MADE0_MAILDIR ?? '';
const shotDir = resolve(process.env.MADE0_SCREENSHOT_DIR ?? join(here, 'screenshots'));

const kStepTimeoutMs = 15_000;

test('sign up, confirm the email, log in, see home and a trace', { timeout: 180_000 }, async (t) => {
  assert.ok(consoleUrl, 'set MADE0_CONSOLE_URL to the console of a running stack (e.g. http://127.0.0.1:3000)');
  assert.ok(maildir, "set MADE0_MAILDIR to the SMTP sink's maildir");
  await withPage(t, { shotDir, timeoutMs: kStepTimeoutMs }, async ({ page, shot }) => {
    const fieldError = (name) => page.locator(`[data-field-error="${name}"]`);

    // 1. Client-side checks show beside the fields and keep the person on the page.
    await page.goto(`${consoleUrl}/signup`);
    await page.getByTestId('signup-form').waitFor();
    await shot('01-signup');
    await page.fill('#f-email', 'not-an-email');
    await page.fill('#f-password', '1234567');
    await page.fill('#f-confirm', '1234567');
    await page.getByRole('button', { name: 'Create account' }).click();
    await assertText(fieldError('email'), /valid email address/i);
    await assertText(fieldError('password'), /at least 8 characters/i);
    assert.equal(new URL(page.url()).pathname, '/signup');
    await shot('02-signup-errors');

    // 2. A real sign-up leads to "check your email".
    const email = `e2e-${randomBytes(6).toString('hex')}@example.test`;
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    t.diagnostic(`signing up ${email}`);
    await page.fill('#f-email', email);
    await page.fill('#f-password', password);
    await page.fill('#f-confirm', password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((u) => u.pathname === '/check-email');
    await assertText(page.getByTestId('sent-to'), email);
    await shot('03-check-email');

    // 3. The mail arrives in the sink with a link to /verify?token=.
    const { link, path } = await waitForVerificationLink(maildir, email, { timeoutMs: 30_000 });
    t.diagnostic(`mail ${path}: ${link}`);
    assert.match(link, /\/verify\?token=[^&\s]+/);

    // 4. Opening the link confirms the address.
    await page.goto(link);
    await page.getByTestId('page-verify-ok').waitFor();
    await assertText(page.locator('h1'), 'Email confirmed');
    await shot('04-email-confirmed');

    // 5. Log in (the confirmation page moves on to /login by itself).
    await page.waitForURL((u) => u.pathname === '/login');
    await page.fill('#f-email', email);
    await page.fill('#f-password', password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');

    // 6. Home: greeting, live service instances and the traces card.
    await assertText(page.getByTestId('greeting'), `Welcome, ${email}`);
    await assertText(page.getByTestId('user-email'), email);
    await page.getByTestId('service-row').first().waitFor();
    assert.ok((await page.getByTestId('service-row').count()) >= 1, 'at least one service instance row');
    await page.getByTestId('traces-card').waitFor();
    // Traces refresh every 5 s; the sign-up itself must have produced some by now.
    await page.getByTestId('trace-row').first().waitFor({ timeout: 30_000 });
    await shot('05-home');

    // 7. The sign-up's trace opens as a waterfall across frontend, users, RabbitMQ and
    // verification.
    const signupRow = page.getByTestId('trace-row').filter({ hasText: 'POST /api/signup' }).first();
    await signupRow.waitFor({ timeout: 30_000 });
    await signupRow.locator('a').click();
    await page.waitForURL((u) => u.pathname.startsWith('/traces/'));
    await page.getByTestId('waterfall').waitFor();
    const legend = await page.getByTestId('waterfall-legend').innerText();
    for (const service of ['frontend', 'users', 'rabbitmq', 'verification']) {
      assert.ok(legend.includes(service), `the sign-up trace reaches ${service}: ${legend}`);
    }
    assert.ok((await page.getByTestId('span-row').count()) >= 5, 'the sign-up has several spans');
    await page.getByTestId('waterfall-legend').waitFor();
    await shot('06-trace-waterfall');

    // 8. Log out from the top bar.
    await page.getByTestId('logout').click();
    await page.waitForURL((u) => u.pathname === '/login');
  });
});

async function assertText(locator, expected) {
  await locator.first().waitFor();
  const deadline = Date.now() + kStepTimeoutMs;
  let text = '';
  for (;;) {
    text = (await locator.first().textContent()) ?? '';
    const ok = typeof expected === 'string' ? text.includes(expected) : expected.test(text);
    if (ok) return;
    if (Date.now() > deadline) assert.fail(`expected ${expected} in ${JSON.stringify(text)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
