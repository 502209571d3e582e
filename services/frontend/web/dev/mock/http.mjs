// HTTP helpers for dev/mock-api.mjs (development aid only): cookies, JSON answers in the
// API's error shape, a bounded JSON body reader, and dist/ serving with history fallback.

import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

export function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(payload);
}
export const fail = (res, status, code, message, extra = {}, headers = {}) =>
  send(res, status, { error: { code, message, ...extra } }, headers);

export async function readJson(req, res) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > 64 * 1024) {
      fail(res, 413, 'too_large', 'Request body too large.');
      return null;
    }
    chunks.push(c);
  }
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    // fall through
  }
  fail(res, 400, 'malformed', 'The request body is not a JSON object.');
  return null;
}

const kTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function serveStatic(DIST, req, res, pathname) {
  const file = normalize(join(DIST, decodeURIComponent(pathname)));
  const inside = file.startsWith(DIST + sep);
  let target = null;
  try {
    if (inside && statSync(file).isFile()) target = file;
  } catch {
    // not a file
  }
  // Asset-looking paths that do not exist are real 404s; everything else is a client route.
  if (!target && (pathname.startsWith('/assets/') || extname(pathname) !== '')) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    return res.end('not found');
  }
  target ??= join(DIST, 'index.html');
  try {
    const body = readFileSync(target);
    const immutable = target.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'Content-Type': kTypes[extname(target)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(`dist/ not built? Run npm run build. (${DIST})`);
  }
}
