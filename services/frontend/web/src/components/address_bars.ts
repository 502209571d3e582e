// Address-range bars: a VPC's range with its subnets laid on it, and per subnet a bar of its
// whole range (reserved ends, instances at their addresses) with a close-up of its lowest
// addresses, one cell each, where made0 hands addresses out. Geometry: address_layout.ts.
// Example: container.append(vpcBlock(vpc, subnets, instances, leasesBySubnet));

import {
  addressMarks,
  byOffset,
  closeUpCells,
  closeUpSize,
  placeAll,
  reservedBands,
  vpcSegments,
  type Cell,
} from '../address_layout';
import { type Cidr, formatCount, formatIpv4, lastAddress, parseCidr, shareOf, usableCount } from '../cidr';
import { h } from '../dom';
import type { AddressLease, Instance, Subnet, Vpc } from '../infra_api';
import { shortId, stateColor, zoneChip, zoneColor } from './infra_badges';

function pctText(share: number): string {
  const p = share * 100;
  return `${p >= 10 || Number.isInteger(p) ? p.toFixed(p % 1 === 0 ? 0 : 1) : p.toFixed(2)}%`;
}

function instanceTitle(i: Instance): string {
  return `${i.id} · ${i.private_ip} · ${i.state} · cluster ${i.cluster}`;
}

function shortName(name: string, vpcName: string): string {
  return name.startsWith(`${vpcName}-`) ? name.slice(vpcName.length + 1) : name;
}

function vpcBar(vpcCidr: Cidr, vpcName: string, subnets: Subnet[]): HTMLElement {
  const segments = vpcSegments(vpcCidr, placeAll(subnets));
  return h(
    'div',
    { class: 'range' },
    h(
      'div',
      { class: 'vpc-bar', 'data-testid': 'vpc-bar' },
      ...segments.map((s) => {
        const style = `left:${s.leftPct}%;width:${s.widthPct}%`;
        const block = `${formatIpv4(s.cidr.base)}/${s.cidr.prefix}`;
        if (s.kind === 'free') {
          return h(
            'div',
            { class: 'vpc-seg vpc-free', style, title: `${block} · free · ${pctText(s.share)} of the VPC` },
            s.widthPct >= 6
              ? h('span', { class: 'seg-label' }, h('span', {}, 'free'), h('span', {}, `/${s.cidr.prefix}`))
              : null,
          );
        }
        const subnet = s.item!;
        return h(
          'div',
          {
            class: 'vpc-seg vpc-subnet',
            style: `${style};--zone:${zoneColor(subnet.availability_zone)}`,
            title: `${subnet.name} · ${subnet.cidr} · ${subnet.availability_zone} · ${pctText(s.share)} of the VPC`,
            'data-testid': 'vpc-segment',
            'data-subnet': subnet.name,
          },
          h(
            'span',
            { class: 'seg-label' },
            // Narrow segments keep the part that tells them apart: made0-us-east-1c -> us-east-1c.
            h('span', { class: 'seg-name' }, s.widthPct >= 20 ? subnet.name : shortName(subnet.name, vpcName)),
            h('span', {}, `/${s.cidr.prefix} · ${pctText(s.share)}`),
          ),
        );
      }),
    ),
    h(
      'div',
      { class: 'range-scale' },
      h('span', { style: 'left:0' }, formatIpv4(vpcCidr.base)),
      ...segments
        .filter((s) => s.leftPct > 4 && s.leftPct < 88)
        .map((s) => h('span', { style: `left:${s.leftPct}%` }, formatIpv4(s.cidr.base))),
      h('span', { class: 'range-end' }, formatIpv4(lastAddress(vpcCidr))),
    ),
  );
}

function cellTitle(cell: Cell<Instance | AddressLease>): string {
  switch (cell.kind) {
    case 'reserved':
      return `${cell.address} · reserved`;
    case 'free':
      return `${cell.address} · free`;
    case 'instance':
      return instanceTitle(cell.item as Instance);
    case 'allocated':
      return `${cell.address} · allocated to ${(cell.item as AddressLease).owner || 'a saga'}, no instance yet`;
  }
}

function closeUp(subnetCidr: Cidr, instances: Instance[], leases: AddressLease[]): HTMLElement {
  const inst = byOffset(subnetCidr, instances, (i) => i.private_ip);
  const lease = byOffset(subnetCidr, leases, (l) => l.address);
  const count = closeUpSize(subnetCidr, [...inst.keys(), ...lease.keys()]);
  const cells = closeUpCells(subnetCidr, count, inst, lease);
  return h(
    'div',
    { class: 'closeup' },
    h('div', { class: 'closeup-label muted small' }, `Lowest ${count} of ${formatCount(subnetCidr.size)}`),
    h(
      'div',
      { class: 'cells' },
      ...cells.flatMap((c) => {
        const attrs: Record<string, string> = { class: `cell cell-${c.kind}`, title: cellTitle(c) };
        if (c.kind === 'instance') {
          const i = c.item as Instance;
          attrs.style = `background:${stateColor(i.state)}`;
          attrs['data-testid'] = 'address-instance';
          attrs['data-instance-id'] = i.id;
        }
        return [c.gapBefore ? h('span', { class: 'cells-gap', 'aria-hidden': 'true' }, '…') : null, h('span', attrs)];
      }),
    ),
  );
}

function subnetRow(subnet: Subnet, instances: Instance[], leases: AddressLease[]): HTMLElement {
  const cidr = parseCidr(subnet.cidr);
  const mine = instances.filter((i) => i.subnet_id === subnet.id);
  const head = h(
    'div',
    { class: 'subnet-head' },
    h('div', { class: 'subnet-name' }, subnet.name),
    h('div', { class: 'subnet-meta' }, zoneChip(subnet.availability_zone), h('span', { class: 'mono' }, subnet.cidr)),
    h('div', { class: 'subnet-meta muted small' }, shortId(subnet.id, 14)),
  );
  if (!cidr) {
    return h(
      'div',
      { class: 'subnet-row', 'data-testid': 'subnet-row' },
      head,
      h('p', { class: 'muted' }, `Unreadable CIDR ${subnet.cidr}`),
    );
  }
  const marks = addressMarks(cidr, mine, (i) => i.private_ip);
  const inUse = Math.max(subnet.addresses_in_use ?? 0, leases.length, mine.length);
  const bar = h(
    'div',
    { class: 'subnet-bar', style: `--zone:${zoneColor(subnet.availability_zone)}` },
    ...reservedBands(cidr).map((b) =>
      h('span', {
        class: 'band-reserved',
        style: `left:${b.leftPct}%;width:${b.widthPct}%`,
        title: 'reserved (first four and last addresses)',
      }),
    ),
    ...marks.map((m) =>
      h('span', {
        class: 'mark',
        style: `left:${m.leftPct}%;width:${m.widthPct}%;background:${stateColor(m.item.state)}`,
        title: instanceTitle(m.item),
        'data-testid': 'instance-mark',
        'data-instance-id': m.item.id,
      }),
    ),
  );
  return h(
    'div',
    { class: 'subnet-row', 'data-testid': 'subnet-row', 'data-subnet': subnet.name },
    head,
    h(
      'div',
      { class: 'subnet-body' },
      h(
        'div',
        { class: 'range' },
        bar,
        h(
          'div',
          { class: 'range-scale' },
          h('span', { style: 'left:0' }, formatIpv4(cidr.base)),
          h(
            'span',
            { class: 'range-mid muted' },
            `${formatCount(inUse)} in use · ${formatCount(Math.max(0, usableCount(cidr) - inUse))} free of ${formatCount(usableCount(cidr))} usable`,
          ),
          h('span', { class: 'range-end' }, formatIpv4(lastAddress(cidr))),
        ),
      ),
      closeUp(cidr, mine, leases),
    ),
  );
}

export function vpcBlock(
  vpc: Vpc,
  subnets: Subnet[],
  instances: Instance[],
  leases: ReadonlyMap<string, AddressLease[]>,
): HTMLElement {
  const cidr = parseCidr(vpc.cidr);
  const sorted = subnets.slice().sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const allocated = cidr ? sorted.reduce((sum, s) => sum + shareOf(cidr, parseCidr(s.cidr) ?? cidr), 0) : 0;
  return h(
    'div',
    { class: 'vpc', 'data-testid': 'vpc', 'data-vpc': vpc.name },
    h(
      'div',
      { class: 'vpc-head' },
      h('span', { class: 'vpc-kind' }, 'VPC'),
      h('h4', { class: 'vpc-name' }, vpc.name),
      h('span', { class: 'mono' }, vpc.cidr),
      shortId(vpc.id, 14),
      h(
        'span',
        { class: 'muted small vpc-stats' },
        cidr
          ? `${formatCount(cidr.size)} addresses · ${sorted.length} subnet${sorted.length === 1 ? '' : 's'} · ${pctText(allocated)} carved`
          : 'unreadable CIDR',
      ),
    ),
    cidr ? vpcBar(cidr, vpc.name, sorted) : null,
    sorted.length === 0
      ? h('p', { class: 'empty empty-compact' }, 'No subnets in this VPC yet.')
      : h('div', { class: 'subnets' }, ...sorted.map((s) => subnetRow(s, instances, leases.get(s.id) ?? []))),
  );
}

export function addressLegend(): HTMLElement {
  const item = (cls: string, label: string, style = ''): HTMLElement =>
    h('span', { class: 'wf-legend-item' }, h('span', { class: `cell ${cls}`, style }), label);
  return h(
    'div',
    { class: 'wf-legend addr-legend' },
    item('cell-reserved', 'reserved'),
    item('cell-instance', 'running', `background:${stateColor('running')}`),
    item('cell-instance', 'pending', `background:${stateColor('pending')}`),
    item('cell-instance', 'shutting down', `background:${stateColor('shutting-down')}`),
    item('cell-allocated', 'allocated, no instance yet'),
    item('cell-free', 'free'),
  );
}
