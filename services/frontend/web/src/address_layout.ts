// Pure geometry of the address-range bars on the Infrastructure page: a VPC's range with its
// subnets laid on it (each taking its CIDR's share), a subnet's range with its instances marked
// at their addresses' offsets, and the close-up grid of a subnet's lowest addresses, where the
// IPAM hands addresses out (lowest free first). No DOM here; test/address_layout.test.ts.
// Example: vpcSegments(parseCidr('172.16.0.0/16')!, figure6Subnets) gives free 0-12.5%,
//          made0-us-east-1c 12.5-25%, made0-us-east-1b 25-50%, made0-us-east-1a 50-100%.

import {
  blocksBetween,
  type Cidr,
  formatIpv4,
  isReservedOffset,
  kReservedAtStart,
  lastAddress,
  offsetIn,
  parseCidr,
} from './cidr';

export interface Placed<T> {
  item: T;
  cidr: Cidr;
}

export interface Segment<T> {
  kind: 'subnet' | 'free';
  cidr: Cidr; // for free space: the aligned block it is made of
  item?: T; // the subnet, for kind 'subnet'
  leftPct: number;
  widthPct: number;
  share: number; // fraction of the parent, 0..1
}

// The parent's range cut into its children (sorted by address) and the free blocks between them.
// Children that are not inside the parent, or overlap one already placed, are left out.
export function vpcSegments<T>(parent: Cidr, children: readonly Placed<T>[]): Segment<T>[] {
  const inside = children
    .filter((c) => c.cidr.base >= parent.base && lastAddress(c.cidr) <= lastAddress(parent))
    .slice()
    .sort((a, b) => a.cidr.base - b.cidr.base);
  const pct = (start: number, size: number): Pick<Segment<T>, 'leftPct' | 'widthPct' | 'share'> => ({
    leftPct: ((start - parent.base) / parent.size) * 100,
    widthPct: (size / parent.size) * 100,
    share: size / parent.size,
  });
  const out: Segment<T>[] = [];
  let at = parent.base;
  const free = (until: number): void => {
    for (const b of blocksBetween(at, until)) out.push({ kind: 'free', cidr: b, ...pct(b.base, b.size) });
  };
  for (const c of inside) {
    if (c.cidr.base < at) continue; // overlaps the previous child
    free(c.cidr.base);
    out.push({ kind: 'subnet', cidr: c.cidr, item: c.item, ...pct(c.cidr.base, c.cidr.size) });
    at = c.cidr.base + c.cidr.size;
  }
  free(parent.base + parent.size);
  return out;
}

export interface Mark<T> {
  item: T;
  offset: number;
  leftPct: number; // where the address starts along the bar
  widthPct: number; // one address, but never less than minPct so that it stays visible
}

// Marks for addresses on a block's bar; items whose address is outside the block are dropped.
export function addressMarks<T>(
  block: Cidr,
  items: readonly T[],
  addressOf: (item: T) => string,
  minPct = 0.4,
): Mark<T>[] {
  const marks: Mark<T>[] = [];
  for (const item of items) {
    const offset = offsetIn(block, addressOf(item));
    if (offset === null) continue;
    const widthPct = Math.max(minPct, 100 / block.size);
    const leftPct = Math.min((offset / block.size) * 100, 100 - widthPct);
    marks.push({ item, offset, leftPct, widthPct });
  }
  return marks.sort((a, b) => a.offset - b.offset);
}

// The reserved ends of a block's bar (first four addresses, last one), at least minPct wide.
export function reservedBands(block: Cidr, minPct = 0.4): { leftPct: number; widthPct: number }[] {
  const first = Math.max(minPct, (Math.min(kReservedAtStart, block.size) / block.size) * 100);
  const last = Math.max(minPct, (1 / block.size) * 100);
  return [
    { leftPct: 0, widthPct: first },
    { leftPct: 100 - last, widthPct: last },
  ];
}

// How many of a block's lowest addresses the close-up shows: a power of two that holds every
// used offset with room to spare (at least min, at most max, never more than the block).
export function closeUpSize(block: Cidr, usedOffsets: readonly number[], min = 32, max = 256): number {
  const highest = Math.max(kReservedAtStart, ...usedOffsets.filter((o) => o < block.size - 1));
  let n = min;
  while (n < max && n < highest + 1 + 8) n *= 2;
  return Math.min(n, max, block.size);
}

export type CellKind = 'reserved' | 'instance' | 'allocated' | 'free';

export interface Cell<T> {
  offset: number;
  address: string;
  kind: CellKind;
  item?: T; // the instance on it, or the address lease for 'allocated'
  gapBefore: boolean; // addresses were skipped before this cell (the block's last address)
}

// The close-up cells: offsets 0..count-1, then the block's last address (reserved, broadcast)
// when it is beyond them. An instance wins over a bare lease on the same address.
export function closeUpCells<I, L>(
  block: Cidr,
  count: number,
  instances: ReadonlyMap<number, I>,
  leases: ReadonlyMap<number, L>,
): Cell<I | L>[] {
  const cell = (offset: number, gapBefore: boolean): Cell<I | L> => {
    const base = { offset, address: formatIpv4(block.base + offset), gapBefore };
    if (isReservedOffset(block, offset)) return { ...base, kind: 'reserved' };
    const inst = instances.get(offset);
    if (inst !== undefined) return { ...base, kind: 'instance', item: inst };
    const lease = leases.get(offset);
    if (lease !== undefined) return { ...base, kind: 'allocated', item: lease };
    return { ...base, kind: 'free' };
  };
  const n = Math.min(count, block.size);
  const cells = Array.from({ length: n }, (_, i) => cell(i, false));
  if (n < block.size) cells.push(cell(block.size - 1, true));
  return cells;
}

// Offsets (in `block`) of the items whose address parses and lies inside it, keyed by offset.
export function byOffset<T>(block: Cidr, items: readonly T[], addressOf: (item: T) => string): Map<number, T> {
  const out = new Map<number, T>();
  for (const item of items) {
    const o = offsetIn(block, addressOf(item));
    if (o !== null && !out.has(o)) out.set(o, item);
  }
  return out;
}

// Subnets of a VPC with their parsed CIDRs (unparsable ones dropped), for vpcSegments.
export function placeAll<T extends { cidr: string }>(items: readonly T[]): Placed<T>[] {
  const out: Placed<T>[] = [];
  for (const item of items) {
    const cidr = parseCidr(item.cidr);
    if (cidr) out.push({ item, cidr });
  }
  return out;
}
