// Mock sagas for dev/mock/infra.mjs (development aid only): a saga is a script of timed
// events, in the shape of the infra service's saga log (docs/infra-api.md). Events whose time has
// come are visible; the summary (status, phase, step, attempt, error) follows from them, so a
// saga started "now" advances by itself as the console polls it.

import { randomBytes } from 'node:crypto';

export const hexId = (digits) =>
  randomBytes(Math.ceil(digits / 2))
    .toString('hex')
    .slice(0, digits);
export const iso = (ms) => new Date(ms).toISOString();

export const kSteps = {
  CreateInstance: [
    { name: 'cluster', compensable: false, async: true, persist: 'cluster' },
    { name: 'securityGroups', compensable: false, async: false, persist: 'securityGroupIds' },
    { name: 'category', compensable: false, async: false, persist: 'count' },
    { name: 'subnet', compensable: true, async: false, persist: 'subnetId' },
    { name: 'runInstance', compensable: true, async: false, persist: 'instanceId' },
    { name: 'awaitInstance', compensable: false, async: false, persist: 'instance' },
    { name: 'saveInstance', compensable: true, async: false, persist: null },
    { name: 'onComplete', compensable: false, async: false, persist: null },
  ],
  TerminateInstance: [
    { name: 'lookup', compensable: false, async: false, persist: 'instance' },
    { name: 'terminate', compensable: false, async: false, persist: null },
    { name: 'awaitTerminated', compensable: false, async: false, persist: null },
    { name: 'release', compensable: false, async: false, persist: null },
    { name: 'delete', compensable: false, async: false, persist: null },
    { name: 'onComplete', compensable: false, async: false, persist: null },
  ],
};

// script(type, startMs, actions): the events of a saga. Each action is an array:
//   ['ok', step, ms, effect?]          an attempt that succeeds (persisting the step's key)
//   ['retry', step, ms, error, waitMs] an attempt that fails and is retried after waitMs
//   ['crash', step, ms, waitMs]        an attempt whose engine died (retried, outcome unknown)
//   ['poll', step, ms, waitMs]         an attempt that is not done yet, polled again after waitMs
//   ['fail', step, ms, error]          an attempt that fails for good: compensation starts
//   ['undo', step, ms, effect?], ['undoPoll', step, ms, waitMs], ['undoRetry', step, ms, error, waitMs],
//   ['undoFail', step, ms, error]      the same for compensations
//   ['finish', status]
// effect is a function run when the event becomes visible (the live saga changes instances).
export function script(type, startMs, actions) {
  const steps = kSteps[type];
  const events = [{ at: startMs, kind: 'saga_started', step: -1, attempt: 0 }];
  const attempts = new Map();
  let t = startMs;
  const attempt = (key, step, fresh) => {
    const n = (attempts.get(`${key}${step}`) ?? 0) + (fresh ? 1 : 0);
    attempts.set(`${key}${step}`, n);
    return n;
  };
  let polling = false; // a poll gives its attempt back: the next start reuses the number
  for (const [what, step, ms, a, b] of actions) {
    if (what === 'finish') {
      events.push({ at: t + 5, kind: 'finished', step: -1, attempt: 0, detail: { status: step } });
      continue;
    }
    const comp = what.startsWith('undo');
    const prefix = comp ? 'compensation_' : 'step_';
    const n = attempt(comp ? 'c' : 'f', step, !polling);
    polling = what === 'poll' || what === 'undoPoll';
    const def = steps[step];
    const started = { at: t, kind: `${prefix}started`, step, attempt: n };
    if (def.async && !comp) started.detail = { correlation_id: `${step}/${n}` };
    events.push(started);
    t += ms;
    const end = { at: t, step, attempt: n, duration_ms: ms };
    switch (what) {
      case 'ok':
        events.push({
          ...end,
          kind: 'step_succeeded',
          detail: def.persist ? { persisted: def.persist } : {},
          effect: a,
        });
        break;
      case 'undo':
        events.push({ ...end, kind: 'compensation_succeeded', effect: a });
        break;
      case 'retry':
      case 'undoRetry':
        events.push({
          ...end,
          kind: `${comp ? 'compensation_' : ''}retry_scheduled`,
          error: a,
          detail: { retry_in_ms: b },
        });
        t += b;
        break;
      case 'crash':
        events.push({
          ...end,
          kind: 'retry_scheduled',
          error: `interrupted: the engine running attempt ${n} stopped before recording its outcome`,
          detail: { retry_in_ms: a, event: 'interrupted' },
        });
        t += a;
        break;
      case 'poll':
      case 'undoPoll':
        events.push({ ...end, kind: `${prefix}polled`, detail: { poll_in_ms: a } });
        t += a;
        break;
      case 'fail':
        events.push({ ...end, kind: 'step_failed', error: a, detail: { retryable: false, attempts: n } });
        break;
      case 'undoFail':
        events.push({ ...end, kind: 'compensation_failed', error: a });
        break;
      default:
        throw new Error(`unknown saga action ${what}`);
    }
  }
  return events.map((e, i) => ({
    seq: i + 1,
    step_name: steps[e.step]?.name ?? '',
    duration_ms: null,
    error: '',
    detail: {},
    ...e,
  }));
}

// The summary fields that follow from the events visible at `nowMs`.
export function summarize(saga, nowMs) {
  const steps = kSteps[saga.type];
  const seen = saga.events.filter((e) => e.at <= nowMs);
  let status = 'running';
  let phase = 'ready';
  let step = 0;
  let attempt = 0;
  let error = '';
  for (const e of seen) {
    const last = e.step === steps.length - 1;
    switch (e.kind) {
      case 'step_started':
      case 'compensation_started':
        step = e.step;
        attempt = e.attempt;
        phase = steps[e.step].async && e.kind === 'step_started' ? 'awaiting_reply' : 'in_progress';
        break;
      case 'step_succeeded':
        step = last ? e.step : e.step + 1;
        attempt = 0;
        phase = last ? 'finishing' : 'ready';
        break;
      case 'step_failed':
        status = 'compensating';
        error = e.error;
        phase = 'ready';
        break;
      case 'compensation_failed':
        status = 'compensation_failed';
        error = e.error;
        phase = 'finishing';
        break;
      case 'compensation_retry_requested':
        status = 'compensating';
        attempt = 0;
        phase = 'ready';
        break;
      case 'finished':
        status = e.detail.status;
        phase = 'done';
        break;
      default:
        phase = 'ready';
    }
  }
  const updated = seen[seen.length - 1]?.at ?? saga.created;
  const done = phase === 'done';
  return {
    id: saga.id,
    type: saga.type,
    status,
    phase,
    step,
    step_name: steps[step]?.name ?? '',
    attempt,
    error,
    owner: done ? '' : saga.engine,
    created_at: iso(saga.created),
    updated_at: iso(updated),
  };
}

export function publicSaga(saga, nowMs) {
  const seen = saga.events.filter((e) => e.at <= nowMs);
  const data = {};
  for (const e of seen) {
    if (e.kind === 'step_succeeded' && e.detail.persisted) data[e.detail.persisted] = saga.outputs[e.detail.persisted];
  }
  return {
    ...summarize(saga, nowMs),
    steps: kSteps[saga.type],
    input: saga.input,
    data,
    events: seen.map(({ effect: _effect, at, ...e }) => ({ ...e, at: iso(at) })),
  };
}
