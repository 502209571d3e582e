import { describe, expect, it } from 'vitest';
import type { Saga, SagaEvent } from '../src/infra_api';
import { layoutSagaTimeline } from '../src/saga_timeline_layout';

const t0 = Date.UTC(2024, 4, 1, 12) * 1000; // µs
const at = (ms: number) => new Date(t0 / 1000 + ms).toISOString();

const steps = [
  { name: 'cluster', compensable: false, async: true, persist: 'cluster' },
  { name: 'subnet', compensable: true, async: false, persist: 'subnetId' },
  { name: 'runInstance', compensable: true, async: false, persist: 'instanceId' },
  { name: 'awaitInstance', compensable: false, async: false, persist: 'instance' },
];

// ev(ms, kind, step, attempt, extra): one event; seq follows the order given.
function saga(
  status: string,
  phase: string,
  step: number,
  evs: Array<[number, string, number, number, Partial<SagaEvent>?]>,
): Saga {
  const events: SagaEvent[] = evs.map(([ms, kind, s, attempt, extra], i) => ({
    seq: i + 1,
    at: at(ms),
    kind,
    step: s,
    step_name: steps[s]?.name ?? '',
    attempt,
    duration_ms: null,
    error: '',
    detail: {},
    ...extra,
  }));
  return {
    id: 'saga-0123456789abcdef',
    type: 'CreateInstance',
    status,
    phase,
    step,
    step_name: steps[step]?.name ?? '',
    attempt: 1,
    error: '',
    owner: '',
    created_at: at(0),
    updated_at: at(evs[evs.length - 1]?.[0] ?? 0),
    steps,
    data: { cluster: { name: 'demo' }, subnetId: 'subnet-0a1b2c3d4e5f60718', instanceId: 'i-0a1b2c3d4e5f60718' },
    events,
  };
}

describe('a completed saga with a retry and polls', () => {
  const s = saga('completed', 'done', 3, [
    [0, 'saga_started', -1, 0],
    [0, 'step_started', 0, 1],
    [100, 'step_succeeded', 0, 1, { duration_ms: 100, detail: { persisted: 'cluster' } }],
    [100, 'step_started', 1, 1],
    [120, 'step_succeeded', 1, 1, { duration_ms: 20, detail: { persisted: 'subnetId' } }],
    [120, 'step_started', 2, 1],
    [220, 'retry_scheduled', 2, 1, { duration_ms: 100, error: 'RequestLimitExceeded', detail: { retry_in_ms: 180 } }],
    [400, 'step_started', 2, 2],
    [600, 'step_succeeded', 2, 2, { duration_ms: 200, detail: { persisted: 'instanceId' } }],
    [600, 'step_started', 3, 1],
    [650, 'step_polled', 3, 1, { duration_ms: 50, detail: { poll_in_ms: 250 } }],
    [900, 'step_started', 3, 1],
    [1000, 'step_succeeded', 3, 1, { duration_ms: 100, detail: { persisted: 'instance' } }],
    [1000, 'finished', -1, 0, { detail: { status: 'completed' } }],
  ]);
  const layout = layoutSagaTimeline(s, t0 + 60_000_000); // "now" long after: not live

  it('spans from the start to the last event, not to now', () => {
    expect(layout.live).toBe(false);
    expect(layout.startUs).toBe(t0);
    expect(layout.totalUs).toBe(1_000_000);
    expect(layout.ticks.map((t) => [t.pct, t.label])).toEqual([
      [0, '0'],
      [20, '200 ms'],
      [40, '400 ms'],
      [60, '600 ms'],
      [80, '800 ms'],
      [100, '1 s'],
    ]);
    expect(layout.breaks).toEqual([]);
    expect(layout.markers).toEqual([{ kind: 'finished', pct: 100, label: 'completed' }]);
  });

  it('has one forward row per step, all succeeded, with what they persisted', () => {
    expect(layout.rows.map((r) => [r.name, r.direction, r.state, r.persisted])).toEqual([
      ['cluster', 'forward', 'succeeded', true],
      ['subnet', 'forward', 'succeeded', true],
      ['runInstance', 'forward', 'succeeded', true],
      ['awaitInstance', 'forward', 'succeeded', true],
    ]);
    expect(layout.rows[1]!.persistedValue).toBe('subnet-0a1b2c3d4e5f60718');
    expect(layout.rows.some((r) => r.current)).toBe(false);
  });

  it('draws each attempt as a bar, the failed one with its error, and the backoff between', () => {
    const run = layout.rows[2]!;
    expect(run.attempts.map((a) => [a.attempt, a.outcome, a.leftPct, a.widthPct, a.durationMs])).toEqual([
      [1, 'retry', 12, 10, 100],
      [2, 'succeeded', 40, 20, 200],
    ]);
    expect(run.attempts[0]!.error).toBe('RequestLimitExceeded');
    expect(run.attempts[0]!.nextInMs).toBe(180);
    expect(run.tries).toBe(2);
    expect(run.retries).toBe(1);
    expect(run.waits).toEqual([{ kind: 'backoff', leftPct: 22, widthPct: 18 }]);
  });

  it('counts polls of one attempt once, with the pause between them', () => {
    const wait = layout.rows[3]!;
    expect(wait.attempts.map((a) => a.outcome)).toEqual(['polled', 'succeeded']);
    expect(wait.tries).toBe(1);
    expect(wait.waits).toEqual([{ kind: 'poll', leftPct: 65, widthPct: 25 }]);
  });
});

describe('a compensated saga', () => {
  const s = saga('compensated', 'done', 1, [
    [0, 'step_started', 0, 1],
    [100, 'step_succeeded', 0, 1, { duration_ms: 100 }],
    [100, 'step_started', 1, 1],
    [150, 'step_succeeded', 1, 1, { duration_ms: 50, detail: { persisted: 'subnetId' } }],
    [150, 'step_started', 2, 1],
    [
      300,
      'step_failed',
      2,
      1,
      { duration_ms: 150, error: 'InsufficientInstanceCapacity', detail: { retryable: false } },
    ],
    [300, 'compensation_started', 2, 1],
    [400, 'compensation_polled', 2, 1, { duration_ms: 100 }],
    [500, 'compensation_started', 2, 1],
    [600, 'compensation_succeeded', 2, 1, { duration_ms: 100 }],
    [600, 'compensation_started', 1, 1],
    [700, 'compensation_succeeded', 1, 1, { duration_ms: 100 }],
    [800, 'finished', -1, 0],
  ]);
  const layout = layoutSagaTimeline(s, t0);

  it('lists forward rows, then compensations in the order they ran (reverse)', () => {
    expect(layout.rows.map((r) => [r.key, r.state])).toEqual([
      ['forward:0', 'succeeded'],
      ['forward:1', 'succeeded'],
      ['forward:2', 'failed'],
      ['forward:3', 'skipped'],
      ['compensation:2', 'compensated'],
      ['compensation:1', 'compensated'],
    ]);
    expect(layout.rows[2]!.attempts[0]!.error).toBe('InsufficientInstanceCapacity');
    expect(layout.rows[4]!.persistKey).toBeNull();
    expect(layout.rows[4]!.waits.map((w) => w.kind)).toEqual(['poll']);
  });
});

describe('a live saga', () => {
  const s = saga('running', 'awaiting_reply', 2, [
    [0, 'step_started', 0, 1],
    [100, 'step_succeeded', 0, 1, { duration_ms: 100 }],
    [100, 'step_started', 1, 1],
    [200, 'retry_scheduled', 1, 1, { duration_ms: 100, error: 'busy', detail: { retry_in_ms: 100 } }],
    [300, 'step_started', 1, 2],
    [400, 'step_succeeded', 1, 2, { duration_ms: 100 }],
    [400, 'step_started', 2, 1],
  ]);

  it('runs the axis up to now and keeps the open attempt running', () => {
    const layout = layoutSagaTimeline(s, t0 + 500_000);
    expect(layout.live).toBe(true);
    expect(layout.totalUs).toBe(500_000);
    expect(layout.markers).toEqual([{ kind: 'now', pct: 100, label: 'now' }]);
    const run = layout.rows[2]!;
    expect(run.current).toBe(true);
    expect(run.state).toBe('running');
    expect(run.attempts.map((a) => [a.outcome, a.leftPct, a.widthPct])).toEqual([['running', 80, 20]]);
    expect(layout.rows[3]!.state).toBe('pending');
    expect(layout.rows[1]!.retries).toBe(1);
  });

  it('shows a step waiting for its retry as retrying, its backoff running to now', () => {
    const waiting = saga('running', 'ready', 1, [
      [0, 'step_started', 1, 1],
      [100, 'retry_scheduled', 1, 1, { error: 'busy', detail: { retry_in_ms: 400 } }],
    ]);
    const layout = layoutSagaTimeline(waiting, t0 + 200_000);
    const row = layout.rows[1]!;
    expect(row.state).toBe('retrying');
    expect(row.attempts[0]!.durationMs).toBe(100); // from the events when duration_ms is absent
    expect(row.waits).toEqual([{ kind: 'backoff', leftPct: 50, widthPct: 50 }]);
  });
});

describe('a compensation retried by an operator ten minutes later', () => {
  const later = 600_000; // ms
  const s = saga('compensated', 'done', 1, [
    [0, 'step_started', 1, 1],
    [100, 'step_succeeded', 1, 1, { duration_ms: 100 }],
    [100, 'step_started', 2, 1],
    [200, 'step_failed', 2, 1, { error: 'boom' }],
    [200, 'compensation_started', 1, 1],
    [300, 'compensation_retry_scheduled', 1, 1, { error: 'refused', detail: { retry_in_ms: 100 } }],
    [400, 'compensation_started', 1, 2],
    [500, 'compensation_failed', 1, 2, { error: 'refused' }],
    [500, 'finished', -1, 0, { detail: { status: 'compensation_failed' } }],
    [later, 'compensation_retry_requested', 1, 0],
    [later, 'compensation_started', 1, 1],
    [later + 500, 'compensation_succeeded', 1, 1, { duration_ms: 500 }],
    [later + 500, 'finished', -1, 0, { detail: { status: 'compensated' } }],
  ]);
  const layout = layoutSagaTimeline(s, t0 + 3_600_000_000);

  it('leaves the idle stretch out of the axis', () => {
    expect(layout.totalUs).toBe(600_500_000);
    expect(layout.breaks).toHaveLength(1);
    expect(layout.breaks[0]).toMatchObject({ leftPct: 47.5, widthPct: 5, label: '10m 00s idle' });
    expect(layout.breaks[0]!.gapUs).toBe(599_500_000);
    const undo = layout.rows.find((r) => r.key === 'compensation:1')!;
    // Both stretches take readable widths: 500 ms before the break and 500 ms after it.
    expect(undo.attempts.map((a) => Math.round(a.leftPct))).toEqual([19, 38, 53]); // 47.5% + the 5% break
    expect(undo.attempts[2]!.widthPct).toBeCloseTo(47.5);
  });

  it('counts every attempt, also when the numbers restart after the retry', () => {
    const undo = layout.rows.find((r) => r.key === 'compensation:1')!;
    expect(undo.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'retry'],
      [2, 'failed'],
      [1, 'succeeded'],
    ]);
    expect(undo.tries).toBe(3);
    expect(undo.state).toBe('compensated');
  });

  it('marks both ends and the retry request', () => {
    expect(layout.markers.map((m) => [m.kind, m.label])).toEqual([
      ['retry', 'retry requested'],
      ['finished', 'compensation failed'],
      ['finished', 'compensated'],
    ]);
  });
});

describe('durations', () => {
  it('are the time to the reply for an async step, the engine figure otherwise', () => {
    const s = saga('completed', 'done', 1, [
      [0, 'step_started', 0, 1],
      [20, 'step_succeeded', 0, 1, { duration_ms: 0.012 }], // only the reply handler was timed
      [20, 'step_started', 1, 1],
      [27, 'step_succeeded', 1, 1, { duration_ms: 6.69 }], // ms timestamps: 7 ms apart
      [27, 'finished', -1, 0],
    ]);
    const [cluster, subnet] = layoutSagaTimeline(s, t0).rows;
    expect([cluster!.attempts[0]!.durationMs, cluster!.attempts[0]!.handlerMs]).toEqual([20, 0.012]);
    expect(subnet!.attempts[0]!.durationMs).toBe(6.69);
  });
});

describe('odd input', () => {
  it('survives a saga without events or steps', () => {
    const s = { ...saga('running', 'ready', 0, []), steps: [], events: [] };
    const layout = layoutSagaTimeline(s, t0);
    expect(layout.rows).toEqual([]);
    expect(layout.totalUs).toBe(1);
  });
  it('makes rows for steps that events name but the definition does not list', () => {
    const s = { ...saga('running', 'in_progress', 5, [[0, 'step_started', 5, 1]]), steps: [] };
    const layout = layoutSagaTimeline(s, t0 + 1000);
    expect(layout.rows.map((r) => r.key)).toEqual([
      'forward:0',
      'forward:1',
      'forward:2',
      'forward:3',
      'forward:4',
      'forward:5',
    ]);
    expect(layout.rows[5]!.state).toBe('running');
  });
  it('marks an attempt without an outcome in a finished saga as interrupted', () => {
    const s = saga('compensated', 'done', 0, [
      [0, 'step_started', 0, 1],
      [100, 'finished', -1, 0],
    ]);
    expect(layoutSagaTimeline(s, t0).rows[0]!.attempts[0]!.outcome).toBe('interrupted');
  });
});
