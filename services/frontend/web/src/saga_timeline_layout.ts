// Pure geometry of a saga's timeline: one row per step of its definition (forward), then one
// per compensation in the order they ran (the engine undoes completed steps last first); each
// attempt a bar on a common time axis, with its outcome, error and duration, the waits between
// attempts (retry backoff, polling) and what the step persisted. Built from the saga's `steps`
// and `events` (docs/infra-api.md). Long idle stretches are left out of the axis (timeline_axis.ts).
// No DOM here, so it is tested in test/saga_timeline_layout.test.ts.
// Example: layoutSagaTimeline(saga, Date.now() * 1000).rows[4].attempts[1].outcome === 'succeeded'

import { parseRfc3339Micros } from './format';
import { isFinished, type Saga } from './infra_api';
import { buildAxis, type AxisBreak, type AxisTick } from './timeline_axis';
import { kMinBarPct } from './waterfall_layout';

export type Direction = 'forward' | 'compensation';
// retry: failed and retried later; polled: not done yet, run again; running: no outcome yet;
// interrupted: no outcome was ever recorded although the saga is over.
export type Outcome = 'succeeded' | 'retry' | 'failed' | 'polled' | 'running' | 'interrupted';
export type RowState =
  | 'pending'
  | 'skipped'
  | 'running'
  | 'waiting'
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'compensating'
  | 'compensated'
  | 'compensation_failed';

export interface Attempt {
  attempt: number;
  startUs: number; // offset from the timeline's start
  endUs: number;
  // durationMs is what the attempt took: the engine's duration_ms, unless the timestamps show it
  // took clearly longer (an async step's attempt lasts until its reply; the engine times only
  // its handlers, in handlerMs).
  durationMs: number;
  handlerMs: number | null;
  outcome: Outcome;
  error: string;
  nextInMs: number | null; // retry_in_ms or poll_in_ms: when the step runs again
  leftPct: number;
  widthPct: number;
}

export interface Wait {
  kind: 'backoff' | 'poll';
  leftPct: number;
  widthPct: number;
}

export interface TimelineRow {
  key: string; // "forward:3", "compensation:3"
  step: number;
  name: string;
  direction: Direction;
  state: RowState;
  current: boolean; // the step the live saga is at
  compensable: boolean;
  async: boolean;
  persistKey: string | null;
  persisted: boolean; // the step succeeded and stored its output under persistKey
  persistedValue: unknown;
  attempts: Attempt[];
  waits: Wait[];
  tries: number; // distinct attempts (polls of one attempt count once)
  retries: number;
}

export interface Marker {
  kind: 'now' | 'finished' | 'retry';
  pct: number;
  label: string;
}

export interface TimelineLayout {
  rows: TimelineRow[];
  startUs: number; // absolute, microseconds since the epoch
  totalUs: number; // from the start to the last event (or now, while live); at least 1
  ticks: AxisTick[];
  breaks: AxisBreak[]; // idle stretches left out of the axis
  markers: Marker[]; // now, each end of the saga, each retry an operator asked for
  live: boolean;
}

interface Closing {
  direction: Direction;
  outcome: Outcome;
}

// Event kinds that end an attempt, and how.
const kClosing: Record<string, Closing> = {
  step_succeeded: { direction: 'forward', outcome: 'succeeded' },
  step_polled: { direction: 'forward', outcome: 'polled' },
  retry_scheduled: { direction: 'forward', outcome: 'retry' },
  step_failed: { direction: 'forward', outcome: 'failed' },
  compensation_succeeded: { direction: 'compensation', outcome: 'succeeded' },
  compensation_polled: { direction: 'compensation', outcome: 'polled' },
  compensation_retry_scheduled: { direction: 'compensation', outcome: 'retry' },
  compensation_failed: { direction: 'compensation', outcome: 'failed' },
};

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function layoutSagaTimeline(saga: Saga, nowUs: number): TimelineLayout {
  const events = (saga.events ?? []).slice().sort((a, b) => a.seq - b.seq);
  const live = !isFinished(saga);
  const created = parseRfc3339Micros(saga.created_at);
  const times = events.map((e) => parseRfc3339Micros(e.at));
  const known = times.filter((t): t is number => t !== null);
  const first = Math.min(created ?? Infinity, ...known, live ? nowUs : Infinity);
  const lastUs = Math.max(...known, first);
  const endUs = live ? Math.max(lastUs, nowUs) : lastUs;
  const origin = Number.isFinite(first) ? first : endUs;
  const totalUs = Math.max(1, endUs - origin);

  const steps = saga.steps ?? [];
  const makeRow = (step: number, direction: Direction): TimelineRow => {
    const def = steps[step];
    return {
      key: `${direction}:${step}`,
      step,
      name: def?.name ?? events.find((e) => e.step === step)?.step_name ?? `step ${step}`,
      direction,
      state: 'pending',
      current: false,
      compensable: def?.compensable ?? false,
      async: def?.async ?? false,
      persistKey: direction === 'forward' ? (def?.persist ?? null) : null,
      persisted: false,
      persistedValue: undefined,
      attempts: [],
      waits: [],
      tries: 0,
      retries: 0,
    };
  };
  const forward = steps.map((_, i) => makeRow(i, 'forward'));
  const compensations: TimelineRow[] = [];
  const rowFor = (direction: Direction, step: number): TimelineRow => {
    if (direction === 'forward') {
      while (forward.length <= step) forward.push(makeRow(forward.length, 'forward'));
      return forward[step]!;
    }
    let row = compensations.find((r) => r.step === step);
    if (!row) {
      row = makeRow(step, 'compensation');
      compensations.push(row);
    }
    return row;
  };

  // Attempts are collected in absolute time; their geometry follows once the axis is known.
  const attempt = (n: number, begin: number, end: number, durationMs: number | null, outcome: Outcome): Attempt => ({
    attempt: n,
    startUs: begin,
    endUs: end,
    durationMs: spanMs(begin, end, durationMs),
    handlerMs: durationMs,
    outcome,
    error: '',
    nextInMs: null,
    leftPct: 0,
    widthPct: 0,
  });
  const open = new Map<string, { startUs: number; attempt: number }>();
  const ends: { at: number; label: string }[] = [];
  const retries: number[] = [];
  let prevUs = origin;
  events.forEach((e, i) => {
    const at = times[i] ?? prevUs;
    prevUs = at;
    if (e.kind === 'step_started' || e.kind === 'compensation_started') {
      const row = rowFor(e.kind === 'step_started' ? 'forward' : 'compensation', e.step);
      open.set(row.key, { startUs: at, attempt: e.attempt });
      return;
    }
    if (e.kind === 'finished') {
      const status = typeof e.detail?.status === 'string' ? e.detail.status : '';
      ends.push({ at, label: status ? status.replace('_', ' ') : 'finished' });
      return;
    }
    if (e.kind === 'compensation_retry_requested') {
      retries.push(at);
      return;
    }
    const closing = kClosing[e.kind];
    if (!closing || e.step < 0) return;
    const row = rowFor(closing.direction, e.step);
    const started = open.get(row.key);
    open.delete(row.key);
    const durationMs = num(e.duration_ms);
    const begin = started?.startUs ?? (durationMs !== null ? at - durationMs * 1000 : at);
    const detail = e.detail ?? {};
    const a = attempt(e.attempt || started?.attempt || 0, begin, at, durationMs, closing.outcome);
    a.error = e.error ?? '';
    a.nextInMs = num(detail.retry_in_ms) ?? num(detail.poll_in_ms);
    row.attempts.push(a);
    const key = typeof detail.persisted === 'string' ? detail.persisted : null;
    if (closing.outcome === 'succeeded' && key !== null) {
      row.persistKey = key;
      row.persisted = true;
      row.persistedValue = saga.data?.[key];
    }
  });
  // Attempts still open have no outcome yet: running while the saga is live.
  for (const [key, o] of open) {
    const [direction, step] = key.split(':') as [Direction, string];
    const end = live ? endUs : (ends[ends.length - 1]?.at ?? lastUs);
    rowFor(direction, Number(step)).attempts.push(
      attempt(o.attempt, o.startUs, end, null, live ? 'running' : 'interrupted'),
    );
  }

  const compensatingNow = saga.status === 'compensating';
  const undone = saga.status !== 'running' && saga.status !== 'completed';
  const rows = [...forward, ...compensations];
  const active: [number, number][] = [];
  const spansOf = new Map<string, WaitSpan[]>();
  for (const row of rows) {
    row.attempts.sort((a, b) => a.startUs - b.startUs);
    row.current = live && row.step === saga.step && (row.direction === 'compensation') === compensatingNow;
    const waits = waitSpans(row, live && row.current ? endUs : null);
    active.push(...row.attempts.map((a) => [a.startUs, a.endUs] as [number, number]), ...waits.map((w) => w.span));
    row.tries =
      row.attempts.filter((a) => a.outcome !== 'polled').length + (row.attempts.at(-1)?.outcome === 'polled' ? 1 : 0);
    row.retries = row.attempts.filter((a) => a.outcome === 'retry').length;
    row.state = stateOf(row, live, undone);
    spansOf.set(row.key, waits);
  }
  if (live) active.push([lastUs, endUs]);

  const axis = buildAxis(origin, endUs, active);
  for (const row of rows) {
    for (const a of row.attempts) {
      a.leftPct = axis.pct(a.startUs);
      a.widthPct = Math.min(100 - a.leftPct, Math.max(kMinBarPct, axis.pct(a.endUs) - a.leftPct));
      a.startUs -= origin;
      a.endUs -= origin;
    }
    row.waits = (spansOf.get(row.key) ?? [])
      .map((w) => {
        const leftPct = axis.pct(w.span[0]);
        return { kind: w.kind, leftPct, widthPct: axis.pct(w.span[1]) - leftPct };
      })
      .filter((w) => w.widthPct > 0);
  }

  const markers: Marker[] = [
    ...retries.map((at) => ({ kind: 'retry' as const, pct: axis.pct(at), label: 'retry requested' })),
    ...ends.map((e) => ({ kind: 'finished' as const, pct: axis.pct(e.at), label: e.label })),
  ];
  if (live) markers.push({ kind: 'now', pct: axis.pct(endUs), label: 'now' });

  return { rows, startUs: origin, totalUs, ticks: axis.ticks, breaks: axis.breaks, markers, live };
}

interface WaitSpan {
  kind: Wait['kind'];
  span: [number, number];
}

// The gaps between a row's attempts that the engine spent waiting: a retry's backoff, or the
// pause between polls (absolute µs). For the current step the last wait runs up to now.
function waitSpans(row: TimelineRow, nowUs: number | null): WaitSpan[] {
  const waits: WaitSpan[] = [];
  row.attempts.forEach((a, i) => {
    if (a.outcome !== 'retry' && a.outcome !== 'polled') return;
    const next = row.attempts[i + 1];
    const to = next ? next.startUs : nowUs;
    if (to === null || to <= a.endUs) return;
    waits.push({ kind: a.outcome === 'retry' ? 'backoff' : 'poll', span: [a.endUs, to] });
  });
  return waits;
}

// Timestamps have millisecond precision: within kSlackMs of each other the engine's own
// measurement is the better one.
const kSlackMs = 2;
function spanMs(begin: number, end: number, durationMs: number | null): number {
  const wall = Math.max(0, (end - begin) / 1000);
  return durationMs === null || wall > durationMs + kSlackMs ? wall : durationMs;
}

function stateOf(row: TimelineRow, live: boolean, undone: boolean): RowState {
  const last = row.attempts[row.attempts.length - 1];
  const comp = row.direction === 'compensation';
  if (!last) return undone && !comp ? 'skipped' : 'pending';
  switch (last.outcome) {
    case 'running':
      return comp ? 'compensating' : 'running';
    case 'succeeded':
      return comp ? 'compensated' : 'succeeded';
    case 'retry':
      if (live && row.current) return 'retrying';
      return comp ? 'compensation_failed' : 'failed';
    case 'polled':
      if (live && row.current) return 'waiting';
      return comp ? 'compensation_failed' : 'failed';
    case 'failed':
    case 'interrupted':
      return comp ? 'compensation_failed' : 'failed';
  }
}
