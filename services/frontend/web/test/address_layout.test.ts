import { describe, expect, it } from 'vitest';
import {
  addressMarks,
  byOffset,
  closeUpCells,
  closeUpSize,
  placeAll,
  reservedBands,
  vpcSegments,
} from '../src/address_layout';
import { formatCidr, parseCidr } from '../src/cidr';

const cidr = (s: string) => parseCidr(s)!;
const figure6 = [
  { name: 'made0-us-east-1a', cidr: '172.16.128.0/17' },
  { name: 'made0-us-east-1b', cidr: '172.16.64.0/18' },
  { name: 'made0-us-east-1c', cidr: '172.16.32.0/19' },
];

describe('vpcSegments', () => {
  it('lays the figure-6 subnets on VPC made0 by their share, with the free rest', () => {
    const segs = vpcSegments(cidr('172.16.0.0/16'), placeAll(figure6));
    expect(segs.map((s) => [s.kind, s.item?.name ?? formatCidr(s.cidr), s.leftPct, s.widthPct])).toEqual([
      ['free', '172.16.0.0/19', 0, 12.5],
      ['subnet', 'made0-us-east-1c', 12.5, 12.5],
      ['subnet', 'made0-us-east-1b', 25, 25],
      ['subnet', 'made0-us-east-1a', 50, 50],
    ]);
    expect(segs.reduce((sum, s) => sum + s.share, 0)).toBe(1);
  });

  it('is all free without subnets, and drops subnets outside or overlapping', () => {
    expect(vpcSegments(cidr('10.0.0.0/16'), []).map((s) => [s.kind, formatCidr(s.cidr)])).toEqual([
      ['free', '10.0.0.0/16'],
    ]);
    const segs = vpcSegments(
      cidr('10.0.0.0/16'),
      placeAll([
        { cidr: '10.0.0.0/17' },
        { cidr: '10.0.0.0/18' }, // overlaps the /17
        { cidr: '192.168.0.0/24' }, // outside
        { cidr: 'not a cidr' },
      ]),
    );
    expect(segs.map((s) => [s.kind, formatCidr(s.cidr)])).toEqual([
      ['subnet', '10.0.0.0/17'],
      ['free', '10.0.128.0/17'],
    ]);
  });
});

describe('addressMarks', () => {
  const subnet = cidr('172.16.64.0/18'); // 16,384 addresses
  const items = [{ ip: '172.16.64.5' }, { ip: '172.16.64.4' }, { ip: '172.16.128.4' }, { ip: '172.16.127.255' }];
  it('puts each instance at its offset, sorted, with a visible width, inside the bar', () => {
    const marks = addressMarks(subnet, items, (i) => i.ip);
    expect(marks.map((m) => m.offset)).toEqual([4, 5, 16383]);
    expect(marks[0]!.leftPct).toBeCloseTo((4 / 16384) * 100);
    expect(marks[0]!.widthPct).toBe(0.4);
    expect(marks[2]!.leftPct + marks[2]!.widthPct).toBeLessThanOrEqual(100);
  });
  it('uses the true width when an address is wider than the minimum', () => {
    const marks = addressMarks(cidr('10.0.0.0/28'), [{ ip: '10.0.0.8' }], (i) => i.ip);
    expect(marks[0]!.leftPct).toBe(50);
    expect(marks[0]!.widthPct).toBe(6.25);
  });
});

describe('reservedBands', () => {
  it('marks the first four and last addresses at both ends', () => {
    expect(reservedBands(cidr('10.0.0.0/28'))).toEqual([
      { leftPct: 0, widthPct: 25 },
      { leftPct: 93.75, widthPct: 6.25 },
    ]);
    const big = reservedBands(cidr('172.16.128.0/17'));
    expect(big[0]!.widthPct).toBe(0.4);
    expect(big[1]!.leftPct).toBeCloseTo(99.6);
  });
});

describe('close-up', () => {
  const subnet = cidr('172.16.128.0/17');
  it('shows a power of two that holds the used addresses with room to spare', () => {
    expect(closeUpSize(subnet, [])).toBe(32);
    expect(closeUpSize(subnet, [4, 5, 6])).toBe(32);
    expect(closeUpSize(subnet, [30])).toBe(64);
    expect(closeUpSize(subnet, [5000])).toBe(256);
    expect(closeUpSize(cidr('10.0.0.0/28'), [5])).toBe(16);
    expect(closeUpSize(subnet, [32767])).toBe(32); // the broadcast address is shown anyway
  });

  it('lists reserved, instance, allocated and free cells, then the last address', () => {
    const instances = byOffset(subnet, [{ id: 'i-1', ip: '172.16.128.4' }], (i) => i.ip);
    const leases = byOffset(
      subnet,
      [
        { address: '172.16.128.4', owner: 'saga-a' },
        { address: '172.16.128.5', owner: 'saga-b' },
      ],
      (l) => l.address,
    );
    const cells = closeUpCells(subnet, 8, instances, leases);
    expect(cells.map((c) => c.kind)).toEqual([
      'reserved',
      'reserved',
      'reserved',
      'reserved',
      'instance',
      'allocated',
      'free',
      'free',
      'reserved',
    ]);
    expect(cells[4]!.item).toEqual({ id: 'i-1', ip: '172.16.128.4' });
    expect(cells[8]!.address).toBe('172.16.255.255');
    expect(cells.map((c) => c.gapBefore).indexOf(true)).toBe(8);
  });

  it('does not repeat the last address when the whole block fits', () => {
    const cells = closeUpCells(cidr('10.0.0.0/28'), 32, new Map(), new Map());
    expect(cells).toHaveLength(16);
    expect(cells[15]!.kind).toBe('reserved');
    expect(cells.some((c) => c.gapBefore)).toBe(false);
  });
});
