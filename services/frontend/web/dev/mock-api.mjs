#!/usr/bin/env node
// DEVELOPMENT AID ONLY: a fake made0 frontend for working on the console before (or without)
// the C++ services. It is not part of made0 and never runs in a deployment; the real /api is
// served by services/frontend. It has no dependencies beyond Node itself.
//
// It serves dist/ (run `npm run build` first) with history-API fallback to index.html, and an
// in-memory imitation of the /api contract: CSRF double-submit cookie, signup, login/logout,
// me, verify, resend (with a rate limit), service instances and traces (each handled auth
// request leaves a trace with plausible spans across frontend, users, rabbitmq, verification).
//
//   node dev/mock-api.mjs                 # http://127.0.0.1:5174, user demo@example.test / password123
//
// Environment (all optional):
//   MOCK_HOST, MOCK_PORT           listen address (127.0.0.1, 5174; port 0 picks a free one)
//   MOCK_DIST                      directory to serve (default: ../dist beside this file)
//   MOCK_LATENCY_MS                delay added to each /api answer, to see loading states (250)
//   MOCK_RESEND_COOLDOWN_S         wait between two links to one address (60)
//   MOCK_PUBLIC_URL                origin used in mailed links (http://MOCK_HOST:port)
//   MOCK_MAILDIR                   dev flag: also write each mail as a file into this maildir
//                                  (new/, cur/, tmp/), to exercise tests/e2e without SMTP
//   MOCK_INFRA                     the /api/infra data: demo (default; a live saga starts with
//                                  the first request), empty (network only) or down (503s)
// Magic inputs for looking at error states: a login or signup whose email starts with
// "down@" answers 503; tokens "demo-expired-token-0000000" (410) and "demo-used-token-00000000" (409).

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cookies, fail, readJson, send, serveStatic } from './mock/http.mjs';
import { createInfra } from './mock/infra.mjs';
import { writeVerificationMail } from './mock/mail.mjs';
import {
  hex,
  loginTrace,
  publicSpan,
  recordTrace,
  seedTraces,
  signupTrace,
  traces,
  traceSummary,
  useInstances,
  verifyTrace,
} from './mock/traces.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const HOST = env.MOCK_HOST ?? '127.0.0.1';
const PORT = Number(env.MOCK_PORT ?? 5174);
const DIST = resolve(env.MOCK_DIST ?? join(here, '..', 'dist'));
const LATENCY_MS = Number(env.MOCK_LATENCY_MS ?? 250);
const COOLDOWN_S = Number(env.MOCK_RESEND_COOLDOWN_S ?? 60);
const MAILDIR = env.MOCK_MAILDIR ?? '';
let publicUrl = env.MOCK_PUBLIC_URL ?? '';

// ---------------------------------------------------------------- state

const users = new Map(); // email -> { id, email, password, verified, created_at }
const sessions = new Map(); // session id -> email
const tokens = new Map(); // token -> { email, expires, used }
const lastSent = new Map(); // email -> ms of the last mail
const started = Date.now();

function addUser(email, password, verified) {
  const user = {
    id: randomUUID(),
    email,
    password,
    verified,
    created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  users.set(email, user);
  return user;
}
const demoUser = addUser('demo@example.test', 'password123', true);
tokens.set('demo-expired-token-0000000', { email: 'demo@example.test', expires: 0, used: false });
tokens.set('demo-used-token-00000000', { email: 'demo@example.test', expires: Infinity, used: true });

const instances = [
  ['frontend', 3000, 4 * 3600 + 1250],
  ['users', 0, 4 * 3600 + 1190],
  ['users', 0, 1830],
  ['verification', 0, 4 * 3600 + 1100],
  ['verification', 0, 95],
].map(([service, port, ageS]) => ({
  service,
  id: `${service}-${hex(4)}`,
  address: '127.0.0.1',
  port: port || 40000 + Math.floor(Math.random() * 20000),
  started_at: new Date(started - ageS * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
  version: '0.1.0',
}));
useInstances(instances);
seedTraces();
const infra = createInfra({ owner: demoUser.id, mode: env.MOCK_INFRA ?? 'demo' });

// ---------------------------------------------------------------- mail

function sendMail(email) {
  const token = randomBytes(32).toString('base64url');
  tokens.set(token, { email, expires: Date.now() + 24 * 3600 * 1000, used: false });
  lastSent.set(email, Date.now());
  const link = `${publicUrl}/verify?token=${token}`;
  console.log(`[mock] verification link for ${email}: ${link}`);
  if (!MAILDIR) return;
  writeVerificationMail(MAILDIR, email, link);
}

const kEmail = /^[^\s@]{1,64}@(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$/;
function checkCredentials(res, body, strictPassword) {
  const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
  const password = typeof body.password === 'string' ? body.password : '';
  if (email.length > 254)
    return (fail(res, 422, 'invalid', 'Email must be at most 254 characters.', { field: 'email' }), null);
  if (!kEmail.test(email)) return (fail(res, 422, 'invalid', 'Enter a valid email address.', { field: 'email' }), null);
  if ([...password].length > 128)
    return (fail(res, 422, 'invalid', 'Password must be at most 128 characters.', { field: 'password' }), null);
  if (strictPassword && [...password].length < 8)
    return (fail(res, 422, 'invalid', 'Password must be at least 8 characters.', { field: 'password' }), null);
  return { email, password };
}

const currentUser = (req) => users.get(sessions.get(cookies(req).made0_session) ?? '') ?? null;
const publicUser = (u) => ({ id: u.id, email: u.email, verified: u.verified, created_at: u.created_at });

// ---------------------------------------------------------------- API

async function api(req, res, url) {
  const { pathname } = url;
  const method = req.method ?? 'GET';
  if (!['GET', 'HEAD', 'OPTIONS'].includes(method)) {
    const c = cookies(req).made0_csrf;
    if (!c || req.headers['x-csrf-token'] !== c)
      return fail(res, 403, 'permission_denied', 'Missing or wrong CSRF token.');
  }
  const route = `${method} ${pathname}`;
  switch (route) {
    case 'GET /api/csrf': {
      const token = cookies(req).made0_csrf ?? randomBytes(24).toString('base64url');
      return send(res, 200, { csrf_token: token }, { 'Set-Cookie': `made0_csrf=${token}; Path=/; SameSite=Strict` });
    }
    case 'POST /api/signup': {
      const body = await readJson(req, res);
      const cred = body && checkCredentials(res, body, true);
      if (!cred) return;
      if (cred.email.startsWith('down@'))
        return (
          recordTrace(signupTrace(cred.email, 503)),
          fail(res, 503, 'unavailable', 'The users service is unavailable.')
        );
      const existing = users.get(cred.email);
      if (!existing) {
        addUser(cred.email, cred.password, false);
        sendMail(cred.email);
      }
      recordTrace(signupTrace(cred.email, 202));
      return send(res, 202, { email: cred.email, status: 'verification_sent' });
    }
    case 'POST /api/login': {
      const body = await readJson(req, res);
      const cred = body && checkCredentials(res, body, false);
      if (!cred) return;
      if (cred.email.startsWith('down@')) return fail(res, 503, 'unavailable', 'The users service is unavailable.');
      const u = users.get(cred.email);
      const ok = !!u && u.password === cred.password;
      recordTrace(loginTrace(ok));
      if (!ok) return fail(res, 401, 'unauthenticated', 'Incorrect email or password.');
      const sid = randomBytes(24).toString('base64url');
      sessions.set(sid, u.email);
      return send(
        res,
        200,
        { user: publicUser(u) },
        { 'Set-Cookie': `made0_session=${sid}; Path=/; HttpOnly; SameSite=Lax` },
      );
    }
    case 'POST /api/logout':
      sessions.delete(cookies(req).made0_session ?? '');
      res.writeHead(204, { 'Set-Cookie': 'made0_session=; Path=/; HttpOnly; Max-Age=0' });
      return res.end();
    case 'GET /api/me': {
      const u = currentUser(req);
      return u ? send(res, 200, { user: publicUser(u) }) : fail(res, 401, 'unauthenticated', 'Not logged in.');
    }
    case 'POST /api/verify': {
      const body = await readJson(req, res);
      if (!body) return;
      const token = typeof body.token === 'string' ? body.token : '';
      let status = 200;
      const t = tokens.get(token);
      if (!/^[A-Za-z0-9_-]{20,128}$/.test(token)) status = 422;
      else if (!t) status = 404;
      else if (t.used) status = 409;
      else if (t.expires < Date.now()) status = 410;
      recordTrace(verifyTrace(status));
      if (status === 422) return fail(res, 422, 'invalid', 'The link is malformed.', { field: 'token' });
      if (status === 404) return fail(res, 404, 'not_found', 'This link is not valid.');
      if (status === 409) return fail(res, 409, 'conflict', 'This link was already used.');
      if (status === 410) return fail(res, 410, 'gone', 'This link has expired.');
      t.used = true;
      const u = users.get(t.email);
      if (u) u.verified = true;
      return send(res, 200, { email: t.email, verified: true });
    }
    case 'POST /api/verify/resend': {
      const body = await readJson(req, res);
      if (!body) return;
      const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
      if (!kEmail.test(email)) return fail(res, 422, 'invalid', 'Enter a valid email address.', { field: 'email' });
      const waitS = Math.ceil(((lastSent.get(email) ?? 0) + COOLDOWN_S * 1000 - Date.now()) / 1000);
      if (waitS > 0) {
        return fail(
          res,
          429,
          'rate_limited',
          `Too many requests; try again in ${waitS} s.`,
          { retry_after_s: waitS },
          { 'Retry-After': String(waitS) },
        );
      }
      const u = users.get(email);
      if (u && !u.verified) sendMail(email);
      else lastSent.set(email, Date.now());
      return send(res, 202, { status: 'sent_if_pending' });
    }
    case 'GET /api/services':
      if (!currentUser(req)) return fail(res, 401, 'unauthenticated', 'Not logged in.');
      return send(res, 200, { instances });
    case 'GET /api/traces': {
      if (!currentUser(req)) return fail(res, 401, 'unauthenticated', 'Not logged in.');
      const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 20) || 20));
      const list = traces.map(traceSummary).sort((a, b) => (a.start < b.start ? 1 : -1));
      return send(res, 200, { traces: list.slice(0, limit) });
    }
    default: {
      if (pathname.startsWith('/api/infra/')) return infra(req, res, url, currentUser(req));
      const m = /^GET \/api\/traces\/([0-9a-f]{32})$/.exec(route);
      if (m) {
        if (!currentUser(req)) return fail(res, 401, 'unauthenticated', 'Not logged in.');
        const t = traces.find((x) => x.trace_id === m[1]);
        return t
          ? send(res, 200, { trace_id: t.trace_id, spans: t.spans.map(publicSpan) })
          : fail(res, 404, 'not_found', 'No such trace.');
      }
      return fail(res, 404, 'not_found', `No API route ${route}.`);
    }
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://mock');
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    setTimeout(() => {
      api(req, res, url).catch((e) => {
        console.error(e);
        if (!res.headersSent) fail(res, 500, 'internal', 'Mock failure.');
      });
    }, LATENCY_MS);
    return;
  }
  serveStatic(DIST, req, res, url.pathname);
});

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  publicUrl ||= `http://${HOST}:${port}`;
  console.log(
    `[mock] made0 console mock on http://${HOST}:${port} (dist: ${DIST}${MAILDIR ? `, maildir: ${MAILDIR}` : ''})`,
  );
  console.log('[mock] log in as demo@example.test / password123');
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
