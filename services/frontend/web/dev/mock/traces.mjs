// Mock trace store for dev/mock-api.mjs (development aid only): builds span trees that look
// like the real services' (frontend -> users -> rabbitmq -> verification) with jittered
// timings, keeps the newest 200 traces, and answers the /api/traces shapes.

import { randomBytes } from 'node:crypto';

export const traces = []; // newest last
let instanceOf = (service) => `${service}-local`;

// Span `instance` fields name one of the mock's service instances.
export function useInstances(instances) {
  instanceOf = (service) => instances.find((i) => i.service === service)?.id ?? `${service}-local`;
}

export const hex = (bytes) => randomBytes(bytes).toString('hex');
export const nowUs = () => Date.now() * 1000 + Math.floor(Math.random() * 1000);
export function rfc3339(us) {
  const iso = new Date(Math.floor(us / 1000)).toISOString(); // ...T12:00:00.123Z
  return `${iso.slice(0, 19)}.${String(Math.floor(us % 1_000_000)).padStart(6, '0')}Z`;
}

const jitter = (us) => Math.max(1, Math.round(us * (0.7 + Math.random() * 0.6)));

// spec: { name, service, kind, at (µs after parent start), dur (µs), error?, attrs?, children? }
export function recordTrace(spec, startUs = nowUs()) {
  const traceId = hex(16);
  const spans = [];
  const walk = (s, parentId, parentStart) => {
    const spanId = hex(8);
    const start = parentStart + Math.round((s.at ?? 0) * (0.95 + Math.random() * 0.1));
    spans.push({
      span_id: spanId,
      parent_span_id: parentId,
      name: s.name,
      service: s.service,
      instance: instanceOf(s.service),
      kind: s.kind ?? 'internal',
      start: rfc3339(start),
      duration_us: jitter(s.dur),
      error: !!s.error,
      attributes: s.attrs ?? {},
      _start: start,
    });
    for (const c of s.children ?? []) walk(c, spanId, start);
  };
  walk(spec, null, startUs);
  // A parent lasts at least as long as its synchronous children.
  for (const p of [...spans].reverse()) {
    for (const c of spans) {
      if (c.parent_span_id === p.span_id && c.kind !== 'consumer' && c.kind !== 'producer') {
        p.duration_us = Math.max(p.duration_us, c._start + c.duration_us - p._start + 40);
      }
    }
  }
  traces.push({ trace_id: traceId, spans });
  if (traces.length > 200) traces.shift();
  return traceId;
}

export const http = (method, route, status, children, extra = {}) => ({
  name: `${method} ${route}`,
  service: 'frontend',
  kind: 'server',
  dur: 800,
  error: status >= 500,
  attrs: { 'http.method': method, 'http.route': route, 'http.status_code': status, ...extra },
  children,
});
export const pg = (at, name, statement, dur = 900) => ({
  name,
  service: 'users',
  kind: 'client',
  at,
  dur,
  attrs: { 'db.system': 'postgresql', 'db.statement': statement },
});

export function signupTrace(email, status) {
  return http('POST', '/api/signup', status, [
    {
      name: 'POST /v1/users',
      service: 'users',
      kind: 'server',
      at: 180,
      dur: 60000,
      attrs: { 'user.email_domain': email.split('@')[1] ?? '' },
      children: [
        { name: 'argon2id hash', service: 'users', at: 90, dur: 52000 },
        pg(53000, 'INSERT users.accounts', 'INSERT INTO users.accounts (email, password_hash) VALUES ($1, $2)'),
        pg(54500, 'INSERT users.outbox', 'INSERT INTO users.outbox (topic, payload) VALUES ($1, $2)', 600),
      ],
    },
    {
      name: 'publish user.registered',
      service: 'users',
      kind: 'producer',
      at: 64000,
      dur: 700,
      attrs: {
        'messaging.system': 'rabbitmq',
        'messaging.destination': 'made0.events',
        'messaging.rabbitmq.routing_key': 'user.registered',
      },
      children: [
        {
          name: 'deliver user.registered',
          service: 'rabbitmq',
          kind: 'internal',
          at: 300,
          dur: 1500,
          children: [
            {
              name: 'consume user.registered',
              service: 'verification',
              kind: 'consumer',
              at: 1200,
              dur: 28000,
              children: [
                {
                  name: 'mongodb insert verification_links',
                  service: 'verification',
                  kind: 'client',
                  at: 200,
                  dur: 2400,
                  attrs: { 'db.system': 'mongodb', 'db.collection': 'verification_links' },
                },
                {
                  name: 'smtp send',
                  service: 'verification',
                  kind: 'client',
                  at: 2900,
                  dur: 21000,
                  attrs: { 'smtp.recipient_domain': email.split('@')[1] ?? '' },
                },
              ],
            },
          ],
        },
      ],
    },
  ]);
}

export function loginTrace(ok) {
  return http('POST', '/api/login', ok ? 200 : 401, [
    {
      name: 'POST /v1/sessions',
      service: 'users',
      kind: 'server',
      at: 160,
      dur: 56000,
      error: !ok,
      attrs: ok ? {} : { 'error.message': 'invalid credentials' },
      children: [
        pg(
          120,
          'SELECT users.accounts',
          'SELECT id, password_hash, verified FROM users.accounts WHERE email = $1',
          700,
        ),
        { name: 'argon2id verify', service: 'users', at: 900, dur: 51000 },
        ...(ok
          ? [
              pg(
                52500,
                'INSERT users.sessions',
                'INSERT INTO users.sessions (user_id, expires_at) VALUES ($1, $2)',
                650,
              ),
            ]
          : []),
      ],
    },
  ]);
}

export function verifyTrace(status) {
  return http('POST', '/api/verify', status, [
    {
      name: 'POST /v1/links/confirm',
      service: 'verification',
      kind: 'server',
      at: 150,
      dur: 5000,
      error: status >= 400,
      attrs: { 'http.status_code': status },
      children: [
        {
          name: 'mongodb findAndModify verification_links',
          service: 'verification',
          kind: 'client',
          at: 100,
          dur: 2100,
          attrs: { 'db.system': 'mongodb' },
        },
        ...(status === 200
          ? [
              {
                name: 'publish user.verified',
                service: 'verification',
                kind: 'producer',
                at: 2500,
                dur: 600,
                children: [
                  {
                    name: 'deliver user.verified',
                    service: 'rabbitmq',
                    at: 300,
                    dur: 1100,
                    children: [
                      {
                        name: 'consume user.verified',
                        service: 'users',
                        kind: 'consumer',
                        at: 900,
                        dur: 3200,
                        children: [
                          pg(
                            150,
                            'UPDATE users.accounts',
                            'UPDATE users.accounts SET verified = true WHERE id = $1',
                            800,
                          ),
                        ],
                      },
                    ],
                  },
                ],
              },
            ]
          : []),
      ],
    },
  ]);
}

export function traceSummary(t) {
  const starts = t.spans.map((s) => s._start);
  const first = Math.min(...starts);
  const last = Math.max(...t.spans.map((s) => s._start + s.duration_us));
  const root = t.spans.find((s) => s.parent_span_id === null) ?? t.spans[0];
  return {
    trace_id: t.trace_id,
    name: root.name,
    service: root.service,
    start: rfc3339(first),
    duration_us: last - first,
    span_count: t.spans.length,
    services: [...new Set(t.spans.map((s) => s.service))],
    error: t.spans.some((s) => s.error),
  };
}
export const publicSpan = ({ _start, ...s }) => s;

// Some history so the dashboard is not empty on first start.
export function seedTraces() {
  const base = nowUs() - 9 * 60 * 1_000_000;
  const seeds = [
    signupTrace('ada@example.test', 202),
    verifyTrace(200),
    loginTrace(false),
    loginTrace(true),
    http('GET', '/api/me', 200, [
      {
        name: 'GET /v1/sessions/current',
        service: 'users',
        kind: 'server',
        at: 120,
        dur: 1400,
        children: [pg(100, 'SELECT users.sessions', 'SELECT user_id FROM users.sessions WHERE id = $1', 500)],
      },
    ]),
    verifyTrace(410),
    http('POST', '/api/verify/resend', 503, [
      {
        name: 'POST /v1/links/resend',
        service: 'verification',
        kind: 'client',
        at: 150,
        dur: 3_000_000,
        error: true,
        attrs: { 'error.message': 'verification: no live instance' },
      },
    ]),
  ];
  seeds.forEach((s, i) => recordTrace(s, base + i * 70 * 1_000_000));
}
