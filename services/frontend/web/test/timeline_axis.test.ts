import { describe, expect, it } from 'vitest';
import { buildAxis, kBreakPct } from '../src/timeline_axis';

const s = 1_000_000; // µs

describe('buildAxis', () => {
  it('is one linear piece when nothing is idle for long', () => {
    const axis = buildAxis(0, 10 * s, [
      [0, 3 * s],
      [5 * s, 10 * s], // a 2 s gap: too short to leave out
    ]);
    expect(axis.breaks).toEqual([]);
    expect([0, 2.5 * s, 10 * s, 20 * s, -s].map(axis.pct)).toEqual([0, 25, 100, 100, 0]);
    expect(axis.ticks.map((t) => t.label)).toEqual(['0', '2 s', '4 s', '6 s', '8 s', '10 s']);
  });

  it('leaves out a long idle stretch and splits the room between what happened', () => {
    const axis = buildAxis(0, 601 * s, [
      [0, 1 * s],
      [600 * s, 601 * s],
    ]);
    expect(axis.breaks).toEqual([{ leftPct: 47.5, widthPct: kBreakPct, gapUs: 599 * s, label: '9m 59s idle' }]);
    expect(axis.pct(0.5 * s)).toBeCloseTo(23.75);
    expect(axis.pct(300 * s)).toBeCloseTo(47.5 + kBreakPct / 2);
    expect(axis.pct(600 * s)).toBeCloseTo(52.5);
    expect(axis.pct(601 * s)).toBe(100);
    // The piece after the break names where it starts, then counts on from there.
    expect(axis.ticks.map((t) => t.label)).toEqual(['0', '500 ms', '10m 00s', '+500 ms', '+1 s']);
  });

  it('needs a gap of 10 s and a quarter of the extent to break', () => {
    // 12 s idle in a 100 s extent: not a quarter.
    expect(
      buildAxis(0, 100 * s, [
        [0, 44 * s],
        [56 * s, 100 * s],
      ]).breaks,
    ).toEqual([]);
    // 8 s idle in a 10 s extent: under 10 s.
    expect(
      buildAxis(0, 10 * s, [
        [0, 1 * s],
        [9 * s, 10 * s],
      ]).breaks,
    ).toEqual([]);
  });

  it('breaks at the start too (a saga that waited for an engine) and survives no activity', () => {
    const axis = buildAxis(0, 100 * s, [[90 * s, 100 * s]]);
    expect(axis.breaks.map((b) => [b.leftPct, b.gapUs])).toEqual([[0, 90 * s]]);
    expect(axis.pct(90 * s)).toBe(kBreakPct);
    const empty = buildAxis(5, 5, []);
    expect(empty.pct(5)).toBe(0);
    expect(empty.ticks[0]).toEqual({ pct: 0, label: '0' });
  });
});
