// Mock mail for dev/mock-api.mjs (development aid only): writes a verification mail into a
// maildir the way an SMTP sink would (multipart/alternative, quoted-printable text and HTML),
// so tests/e2e can be exercised without the real verification service.

import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const hex = (bytes) => randomBytes(bytes).toString('hex');

function qpEncode(text) {
  const out = [];
  for (const line of text.split('\n')) {
    let enc = '';
    for (const b of Buffer.from(line, 'utf8')) {
      const c = String.fromCharCode(b);
      enc += (b >= 33 && b <= 126 && c !== '=') || c === ' ' ? c : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    while (enc.length > 75) {
      let cut = 75;
      if (enc[cut - 1] === '=') cut -= 1;
      else if (enc[cut - 2] === '=') cut -= 2;
      out.push(`${enc.slice(0, cut)}=`);
      enc = enc.slice(cut);
    }
    out.push(enc);
  }
  return out.join('\r\n');
}

export function writeVerificationMail(maildir, email, link) {
  const boundary = `b-${hex(8)}`;
  const text = `Hello,\n\nConfirm your made0 account by opening this link:\n${link}\n\nThe link is valid for 24 hours.\n`;
  const html = `<!doctype html><html><body style="font-family:sans-serif"><p>Hello,</p><p>Confirm your made0 account:</p><p><a href="${link.replace(/&/g, '&amp;')}" style="background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Confirm email</a></p><p>The link is valid for 24 hours.</p></body></html>`;
  const msg = [
    'From: made0 <no-reply@made0.test>',
    `To: ${email}`,
    'Subject: Confirm your made0 account',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${hex(12)}@mock.made0.test>`,
    `X-RcptTo: ${email}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    qpEncode(text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    qpEncode(html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  for (const d of ['tmp', 'new', 'cur']) mkdirSync(join(maildir, d), { recursive: true });
  const name = `${Date.now()}.M${hex(4)}P${process.pid}.mock`;
  writeFileSync(join(maildir, 'tmp', name), msg);
  renameSync(join(maildir, 'tmp', name), join(maildir, 'new', name));
}
