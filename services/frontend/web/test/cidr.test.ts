import { describe, expect, it } from 'vitest';
import {
  blocksBetween,
  containsCidr,
  formatCidr,
  formatCount,
  formatIpv4,
  isReservedOffset,
  lastAddress,
  offsetIn,
  parseCidr,
  parseIpv4,
  reservedOffsets,
  shareOf,
  usableCount,
} from '../src/cidr';

const cidr = (s: string) => {
  const c = parseCidr(s);
  if (!c) throw new Error(`bad test CIDR ${s}`);
  return c;
};

describe('parseIpv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['172.16.0.0', 0xac100000],
    ['172.16.128.4', 0xac108004],
    ['255.255.255.255', 2 ** 32 - 1],
    [' 10.0.0.1 ', 0x0a000001],
  ])('%s -> %d', (s, n) => expect(parseIpv4(s)).toBe(n));
  it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.0', '01.2.3.4', '1.2.3.-4', 'a.b.c.d', '1..3.4', '1.2.3.4/8'])(
    'rejects %j',
    (s) => expect(parseIpv4(s)).toBeNull(),
  );
  it('round-trips through formatIpv4', () => {
    for (const s of ['0.0.0.0', '172.16.255.255', '255.255.255.255', '10.1.2.3']) {
      expect(formatIpv4(parseIpv4(s)!)).toBe(s);
    }
  });
});

describe('parseCidr', () => {
  it('reads figure 6', () => {
    expect(cidr('172.16.0.0/16')).toEqual({ base: 0xac100000, prefix: 16, size: 65536 });
    expect(cidr('172.16.128.0/17').size).toBe(32768);
    expect(cidr('0.0.0.0/0').size).toBe(2 ** 32);
    expect(cidr('10.0.0.7/32').size).toBe(1);
    expect(formatCidr(cidr('172.16.32.0/19'))).toBe('172.16.32.0/19');
    expect(formatIpv4(lastAddress(cidr('172.16.128.0/17')))).toBe('172.16.255.255');
  });
  it.each(['172.16.0.1/16', '172.16.0.0/33', '172.16.0.0', '172.16.0.0/', '/16', '172.16.0.0/1a', 'x/8'])(
    'rejects %j (malformed, prefix out of range or host bits set)',
    (s) => expect(parseCidr(s)).toBeNull(),
  );
});

describe('offsets and shares', () => {
  const vpc = cidr('172.16.0.0/16');
  it('gives the offset of an address in a block, or null outside', () => {
    expect(offsetIn(vpc, '172.16.0.0')).toBe(0);
    expect(offsetIn(vpc, '172.16.128.4')).toBe(32772);
    expect(offsetIn(vpc, '172.16.255.255')).toBe(65535);
    expect(offsetIn(vpc, '172.17.0.0')).toBeNull();
    expect(offsetIn(vpc, '172.15.255.255')).toBeNull();
    expect(offsetIn(vpc, 'garbage')).toBeNull();
    expect(offsetIn(cidr('172.16.64.0/18'), '172.16.64.5')).toBe(5);
  });
  it('gives the fraction of a VPC each figure-6 subnet takes', () => {
    expect(shareOf(vpc, cidr('172.16.128.0/17'))).toBe(0.5);
    expect(shareOf(vpc, cidr('172.16.64.0/18'))).toBe(0.25);
    expect(shareOf(vpc, cidr('172.16.32.0/19'))).toBe(0.125);
    expect(shareOf(vpc, cidr('10.0.0.0/24'))).toBe(0);
    expect(shareOf(cidr('172.16.128.0/17'), vpc)).toBe(0); // bigger than the "parent"
    expect(containsCidr(vpc, vpc)).toBe(true);
  });
});

describe('reserved addresses', () => {
  it('keeps the first four and the last, as AWS does', () => {
    const s = cidr('172.16.32.0/19');
    expect(reservedOffsets(s)).toEqual([0, 1, 2, 3, 8191]);
    expect(usableCount(s)).toBe(8187);
    expect([0, 3, 4, 8190, 8191].map((o) => isReservedOffset(s, o))).toEqual([true, true, false, false, true]);
    expect(usableCount(cidr('10.0.0.0/28'))).toBe(11);
  });
  it('keeps everything of blocks too small to have both ends', () => {
    expect(reservedOffsets(cidr('10.0.0.0/30'))).toEqual([0, 1, 2, 3]);
    expect(usableCount(cidr('10.0.0.0/30'))).toBe(0);
  });
});

describe('blocksBetween', () => {
  it('names free space as the largest aligned blocks', () => {
    const base = parseIpv4('172.16.0.0')!;
    expect(blocksBetween(base, parseIpv4('172.16.32.0')!).map(formatCidr)).toEqual(['172.16.0.0/19']);
    expect(blocksBetween(base + 4, base + 32).map(formatCidr)).toEqual([
      '172.16.0.4/30',
      '172.16.0.8/29',
      '172.16.0.16/28',
    ]);
    expect(blocksBetween(base, base)).toEqual([]);
    expect(blocksBetween(0, 2 ** 32).map(formatCidr)).toEqual(['0.0.0.0/0']);
  });
});

it('formats counts with grouping', () => {
  expect(formatCount(32768)).toBe('32,768');
});
