// Reads mail that the stack's SMTP sink stored in a maildir (new/ and cur/, one RFC 5322
// file per message) and finds the verification link sent to an address. Handles
// quoted-printable and base64 bodies and nested multipart messages.
// Example: const link = await waitForVerificationLink(process.env.MADE0_MAILDIR, 'a@example.test');

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

// Splits a message (or MIME part) into lower-cased, unfolded headers and the raw body.
export function splitMessage(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { headers, body };
}

// A header parameter such as boundary="abc" or charset=utf-8.
export function headerParam(value, name) {
  const re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i');
  const m = re.exec(value ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

export function decodeQuotedPrintable(text) {
  const softBreaksGone = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < softBreaksGone.length; i++) {
    const c = softBreaksGone[i];
    const hex = softBreaksGone.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(c.charCodeAt(0) & 0xff); // messages are read as latin1: one char per byte
    }
  }
  return Buffer.from(bytes);
}

function decodeBody(body, headers) {
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let bytes;
  if (cte === 'quoted-printable') bytes = decodeQuotedPrintable(body);
  else if (cte === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else bytes = Buffer.from(body, 'latin1'); // the file was read as latin1: bytes unchanged
  const charset = (headerParam(headers['content-type'], 'charset') ?? 'utf-8').toLowerCase();
  return new TextDecoder(['us-ascii', 'ascii'].includes(charset) ? 'utf-8' : charset, { fatal: false }).decode(bytes);
}

// The text leaves of a message: [{ type: 'text/html' | 'text/plain' | ..., text }].
export function textParts(raw) {
  const { headers, body } = splitMessage(raw);
  const type = (headers['content-type'] ?? 'text/plain').split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = headerParam(headers['content-type'], 'boundary');
    if (!boundary) return [];
    const parts = [];
    const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // A delimiter is a whole line "--boundary" (or "--boundary--" for the last one).
    const delimiter = new RegExp(`(?:^|\\r?\\n)--${escaped}(--)?[ \\t]*(?=\\r?\\n|$)\\r?\\n?`);
    const chunks = body.split(delimiter);
    // chunks: preamble, part, undefined/'--', part, ..., epilogue; keep the strings that look like parts.
    for (let i = 1; i < chunks.length; i++) {
      const chunk = chunks[i];
      if (chunk === undefined || chunk === '--' || chunk.trim() === '') continue;
      if (chunks[i - 1] === '--') break; // after the closing delimiter: epilogue
      parts.push(...textParts(chunk));
    }
    return parts;
  }
  if (!type.startsWith('text/')) return [];
  return [{ type, text: decodeBody(body, headers) }];
}

export function decodeHtmlEntities(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

// The verification link in a message: an href containing /verify?token= in the HTML part,
// else a URL with it in the text part. Null when there is none.
export function extractVerificationLink(raw) {
  const parts = textParts(raw);
  for (const p of parts.filter((x) => x.type === 'text/html')) {
    for (const m of p.text.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
      const href = decodeHtmlEntities((m[1] ?? m[2]).trim());
      if (href.includes('/verify?token=')) return href;
    }
  }
  for (const p of parts) {
    const m = /https?:\/\/[^\s<>"')]+\/verify\?token=[^\s<>"')]+/.exec(p.text);
    if (m) return m[0];
  }
  return null;
}

// True when the message was addressed to `address` (To, Cc, Delivered-To, X-Original-To,
// or the X-RcptTo that aiosmtpd's Mailbox handler adds).
export function isAddressedTo(raw, address) {
  const { headers } = splitMessage(raw);
  const want = address.toLowerCase();
  return ['to', 'cc', 'delivered-to', 'x-original-to', 'x-rcptto', 'envelope-to'].some((h) =>
    (headers[h] ?? '')
      .toLowerCase()
      .split(/[\s,<>;]+/)
      .includes(want),
  );
}

// Messages in new/ and cur/, newest first, as { path, raw }.
export async function readMaildir(dir) {
  const out = [];
  for (const sub of ['new', 'cur']) {
    let names = [];
    try {
      names = await readdir(join(dir, sub));
    } catch {
      continue; // the folder appears with the first message
    }
    for (const name of names) {
      const path = join(dir, sub, name);
      try {
        const [raw, st] = await Promise.all([readFile(path, 'latin1'), stat(path)]);
        out.push({ path, raw, mtime: st.mtimeMs });
      } catch {
        // moved from new/ to cur/ while listing: seen on the next poll
      }
    }
  }
  return out.sort((a, b) => b.mtime - a.mtime);
}

export async function waitForVerificationLink(dir, address, { timeoutMs = 30_000, intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  for (;;) {
    const messages = await readMaildir(dir);
    seen = messages.length;
    for (const m of messages) {
      if (!isAddressedTo(m.raw, address)) continue;
      const link = extractVerificationLink(m.raw);
      if (link) return { link, path: m.path };
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `no mail with a verification link to ${address} in ${dir} after ${timeoutMs} ms (${seen} messages there)`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
