import { describe, expect, it } from 'vitest';
import {
  axisTicks,
  kMinBarPct,
  layoutWaterfall,
  legendServices,
  serviceColor,
  tickStep,
  type SpanInput,
} from '../src/waterfall_layout';

function at(offsetUs: number): string {
  const us = String(offsetUs % 1_000_000).padStart(6, '0');
  const s = String(Math.floor(offsetUs / 1_000_000)).padStart(2, '0');
  return `2024-05-01T12:00:${s}.${us}Z`;
}
function span(id: string, parent: string | null, offsetUs: number, dur: number, service = 'frontend'): SpanInput {
  return { span_id: id, parent_span_id: parent, name: `span ${id}`, service, start: at(offsetUs), duration_us: dur };
}

describe('layoutWaterfall', () => {
  // root 0..1000 ms; a (users) 100..600 under root; b under a at 200..300; c under root at 700
  const spans = [
    span('c', 'root', 700_000, 200_000, 'verification'),
    span('b', 'a', 200_000, 100_000, 'users'),
    span('root', null, 0, 1_000_000),
    span('a', 'root', 100_000, 500_000, 'users'),
  ];

  it('orders depth-first by start time with depths', () => {
    const { rows } = layoutWaterfall(spans);
    expect(rows.map((r) => [r.span.span_id, r.depth])).toEqual([
      ['root', 0],
      ['a', 1],
      ['b', 2],
      ['c', 1],
    ]);
    expect(rows.map((r) => r.hasChildren)).toEqual([true, true, false, false]);
  });

  it('positions bars on one time axis', () => {
    const { rows, totalUs, startUs } = layoutWaterfall(spans);
    expect(totalUs).toBe(1_000_000);
    expect(startUs).toBe(Date.UTC(2024, 4, 1, 12) * 1000);
    const geo = Object.fromEntries(rows.map((r) => [r.span.span_id, [r.offsetUs, r.leftPct, r.widthPct]]));
    expect(geo).toEqual({ root: [0, 0, 100], a: [100_000, 10, 50], b: [200_000, 20, 10], c: [700_000, 70, 20] });
  });

  it('measures the extent from the earliest start to the latest end', () => {
    // A consumer span that outlives its producer's root stretches the axis.
    const { totalUs, rows } = layoutWaterfall([span('r', null, 0, 100), span('late', 'r', 150, 50)]);
    expect(totalUs).toBe(200);
    expect(rows[1]!.leftPct).toBe(75);
    expect(rows[1]!.widthPct).toBe(25);
  });

  it('keeps zero-length spans visible and inside the axis', () => {
    const { rows } = layoutWaterfall([span('r', null, 0, 1000), span('z', 'r', 1000, 0)]);
    const z = rows[1]!;
    expect(z.leftPct).toBe(100);
    expect(z.widthPct).toBe(0); // clamped: no room past the end
    const { rows: rows2 } = layoutWaterfall([span('r', null, 0, 1000), span('z', 'r', 500, 0)]);
    expect(rows2[1]!.widthPct).toBe(kMinBarPct);
  });

  it('treats spans whose parent is missing as roots', () => {
    const { rows } = layoutWaterfall([span('x', 'gone', 10, 5), span('r', null, 0, 100)]);
    expect(rows.map((r) => [r.span.span_id, r.depth])).toEqual([
      ['r', 0],
      ['x', 0],
    ]);
  });

  it('survives parent cycles and self-parents', () => {
    const { rows } = layoutWaterfall([span('a', 'b', 0, 10), span('b', 'a', 5, 10), span('s', 's', 1, 1)]);
    expect(rows.map((r) => r.span.span_id).sort()).toEqual(['a', 'b', 's']);
  });

  it('handles empty and unreadable input', () => {
    expect(layoutWaterfall([]).rows).toEqual([]);
    const { rows, totalUs } = layoutWaterfall([{ ...span('a', null, 0, 10), start: 'garbage' }]);
    expect(rows[0]!.offsetUs).toBe(0);
    expect(totalUs).toBe(1);
  });

  it('lists legend services in order of appearance', () => {
    expect(legendServices(layoutWaterfall(spans).rows)).toEqual(['frontend', 'users', 'verification']);
  });
});

describe('axis', () => {
  it.each([
    [1_000_000, 200_000],
    [91_000, 20_000],
    [2_310_000, 500_000],
    [7, 2],
    [1, 1],
  ])('step for %d µs is %d', (total, step) => expect(tickStep(total)).toBe(step));

  it('ticks start at zero and stay within the extent', () => {
    expect(axisTicks(1_000_000)).toEqual([0, 200_000, 400_000, 600_000, 800_000, 1_000_000]);
    expect(axisTicks(91_000)).toEqual([0, 20_000, 40_000, 60_000, 80_000]);
  });
});

describe('serviceColor', () => {
  it('is fixed for known services, stable and distinct', () => {
    const known = ['frontend', 'users', 'rabbitmq', 'verification'].map(serviceColor);
    expect(new Set(known).size).toBe(4);
    expect(serviceColor('something-else')).toBe(serviceColor('something-else'));
    expect(serviceColor('something-else')).toMatch(/^#[0-9a-f]{6}$/);
  });
});
