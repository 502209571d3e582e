// Unit tests of the maildir reader used by signup.test.mjs; they need no running stack.
// Run: node --test mail.test.mjs

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  decodeQuotedPrintable,
  extractVerificationLink,
  isAddressedTo,
  textParts,
  waitForVerificationLink,
} from './lib/maildir.mjs';

const TOKEN = 'q1w2e3r4t5y6u7i8o9p0AaSsDdFfGgHhJjKkLlZzXx_-';
const LINK = `http://127.0.0.1:3000/verify?token=${TOKEN}`;

// Quoted-printable with soft line breaks inside the URL and "=" encoded as =3D.
const qpMultipart = [
  'Return-Path: <no-reply@made0.test>',
  'X-MailFrom: no-reply@made0.test',
  'X-RcptTo: e2e-abc@example.test',
  'From: made0 <no-reply@made0.test>',
  'To: e2e-abc@example.test',
  'Subject: =?utf-8?q?Confirm_your_made0_account?=',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative;',
  ' boundary="===============123=="',
  '',
  'This is a multi-part message in MIME format.',
  '--===============123==',
  'Content-Type: text/plain; charset="utf-8"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Hello, confirm your address:',
  'http://127.0.0.1:3000/verify?token=3Dq1w2e3r4t5y6u7i8o9p0AaSsDdFfGgHhJjKkLlZzXx_-',
  '--===============123==',
  'Content-Type: text/html; charset="utf-8"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<p>Hello=C2=A0there</p><p><a href=3D"http://127.0.0.1:3000/verify?token=3Dq1w2e3=',
  'r4t5y6u7i8o9p0AaSsDdFfGgHhJjKkLlZzXx_-" style=3D"color:#fff">Confirm</a></p>',
  '--===============123==--',
  'epilogue --===============123==',
  '',
].join('\r\n');

test('decodes quoted-printable soft breaks, =XX escapes and UTF-8', () => {
  assert.equal(decodeQuotedPrintable('a=3Db=\r\nc=C3=A9').toString('utf8'), 'a=bcé');
});

test('finds the href in the HTML part of a quoted-printable multipart mail', () => {
  const parts = textParts(qpMultipart);
  assert.deepEqual(
    parts.map((p) => p.type),
    ['text/plain', 'text/html'],
  );
  assert.match(parts[1].text, /Hello\u00a0there/);
  assert.equal(extractVerificationLink(qpMultipart), LINK);
});

test('falls back to a URL in a plain-text mail', () => {
  const raw = ['To: x@example.test', 'Subject: hi', '', 'Open', `  ${LINK}`, 'to confirm.'].join('\n');
  assert.equal(extractVerificationLink(raw), LINK);
});

test('reads base64 HTML inside nested multipart and decodes &amp;', () => {
  const html = `<html><body><a href='${LINK}&amp;lang=en'>Confirm</a></body></html>`;
  const b64 = Buffer.from(html)
    .toString('base64')
    .replace(/(.{76})/g, '$1\r\n');
  const raw = [
    'To: "E2E" <e2e-b64@example.test>',
    'Content-Type: multipart/mixed; boundary=outer',
    '',
    '--outer',
    'Content-Type: multipart/alternative; boundary="inner"',
    '',
    '--inner',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'No link in this part.',
    '--inner',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    '--inner--',
    '--outer',
    'Content-Type: application/pdf',
    'Content-Transfer-Encoding: base64',
    '',
    'JVBERi0=',
    '--outer--',
    '',
  ].join('\r\n');
  assert.equal(extractVerificationLink(raw), `${LINK}&lang=en`);
  assert.ok(isAddressedTo(raw, 'E2E-B64@example.test'));
});

test('matches the recipient exactly', () => {
  assert.ok(isAddressedTo(qpMultipart, 'e2e-abc@example.test'));
  assert.ok(!isAddressedTo(qpMultipart, 'abc@example.test'));
  assert.ok(!isAddressedTo(qpMultipart, 'e2e-abcd@example.test'));
});

test('returns null when there is no verification link', () => {
  assert.equal(extractVerificationLink('To: a@b.test\n\n<a href="http://x/login">x</a>'), null);
});

test('waits for the message to arrive, and times out otherwise', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'made0-maildir-'));
  try {
    await assert.rejects(
      waitForVerificationLink(dir, 'e2e-abc@example.test', { timeoutMs: 300, intervalMs: 50 }),
      /no mail with a verification link/,
    );
    setTimeout(async () => {
      await mkdir(join(dir, 'new'), { recursive: true });
      await writeFile(join(dir, 'new', 'other.eml'), 'To: someone@example.test\n\nhttp://h/verify?token=nope\n');
      await writeFile(join(dir, 'new', '1.eml'), qpMultipart);
    }, 200);
    const got = await waitForVerificationLink(dir, 'e2e-abc@example.test', { timeoutMs: 5000, intervalMs: 50 });
    assert.equal(got.link, LINK);
    assert.match(got.path, /1\.eml$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
