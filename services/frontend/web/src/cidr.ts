// IPv4 addresses and CIDR blocks as plain numbers, for drawing address ranges. Pure: tested in
// test/cidr.test.ts. Addresses are unsigned 32-bit integers (0 .. 2^32-1) held in a number.
// Example: const vpc = parseCidr('172.16.0.0/16')!; offsetIn(vpc, '172.16.128.4') === 32772;
//          shareOf(vpc, parseCidr('172.16.128.0/17')!) === 0.5

export interface Cidr {
  base: number; // the first address
  prefix: number; // 0 .. 32
  size: number; // number of addresses, 2^(32 - prefix)
}

const kOctet = /^(0|[1-9]\d{0,2})$/;

// The address as a number, or null unless `s` is four decimal octets (no leading zeros).
export function parseIpv4(s: string): number | null {
  const parts = s.trim().split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!kOctet.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

export function formatIpv4(n: number): string {
  const v = Math.floor(n);
  return [24, 16, 8, 0].map((shift) => Math.floor(v / 2 ** shift) % 256).join('.');
}

// The block, or null for malformed text, a prefix outside 0..32, or host bits set ("10.0.0.1/8").
export function parseCidr(s: string): Cidr | null {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return null;
  const base = parseIpv4(m[1] ?? '');
  const prefix = Number(m[2]);
  if (base === null || prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return null;
  return { base, prefix, size };
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.base)}/${c.prefix}`;
}

export function lastAddress(c: Cidr): number {
  return c.base + c.size - 1;
}

// Where `ip` lies in the block (0 for its first address), or null when it is outside.
export function offsetIn(c: Cidr, ip: string | number): number | null {
  const n = typeof ip === 'number' ? ip : parseIpv4(ip);
  if (n === null || n < c.base || n > lastAddress(c)) return null;
  return n - c.base;
}

export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && lastAddress(inner) <= lastAddress(outer);
}

// The fraction (0..1) of `outer` that `inner` takes; 0 when inner is not inside outer.
export function shareOf(outer: Cidr, inner: Cidr): number {
  return containsCidr(outer, inner) ? inner.size / outer.size : 0;
}

// AWS keeps the first four addresses of a subnet (network, router, DNS, future use) and the
// last (broadcast); made0's IPAM does the same. A block too small to have both keeps them all.
export const kReservedAtStart = 4;
export const kReservedAtEnd = 1;

export function reservedOffsets(c: Cidr): number[] {
  if (c.size <= kReservedAtStart + kReservedAtEnd) return Array.from({ length: c.size }, (_, i) => i);
  return [0, 1, 2, 3, c.size - 1];
}

export function isReservedOffset(c: Cidr, offset: number): boolean {
  return offset < kReservedAtStart || offset >= c.size - kReservedAtEnd;
}

// Addresses an instance can get.
export function usableCount(c: Cidr): number {
  return Math.max(0, c.size - kReservedAtStart - kReservedAtEnd);
}

// The largest aligned blocks covering [start, end) exactly, lowest first: the free space between
// subnets named the way people would ask for it. Example: 172.16.0.0 .. 172.16.32.0 -> [/19].
export function blocksBetween(start: number, end: number): Cidr[] {
  const out: Cidr[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    // Grow while the block stays aligned and inside the range.
    while (size < 2 ** 32 && at % (size * 2) === 0 && at + size * 2 <= end) size *= 2;
    out.push({ base: at, prefix: 32 - Math.log2(size), size });
    at += size;
  }
  return out;
}

// "32,768" (always en-US grouping so the console reads the same everywhere).
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
