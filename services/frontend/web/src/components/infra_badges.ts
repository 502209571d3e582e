// Small shared pieces of the Infrastructure page: colours for zones and instance states, badges
// for instance states and saga statuses, and a shortened ID that keeps the whole one in a title.
// Example: stateBadge('running'); sagaStatusBadge('compensation_failed'); zoneColor('us-east-1b')

import { h } from '../dom';

const kZoneColors = ['#6366f1', '#0d9488', '#d97706', '#db2777', '#0891b2', '#65a30d'];

// Zones are told apart by their letter: a, b, c, ... get fixed colours.
export function zoneColor(zone: string): string {
  const letter = zone.trim().slice(-1).toLowerCase();
  const i = letter >= 'a' && letter <= 'z' ? letter.charCodeAt(0) - 97 : 0;
  return kZoneColors[i % kZoneColors.length] ?? '#6366f1';
}

const kStateColors: Record<string, string> = {
  running: '#17b26a',
  pending: '#f79009',
  'shutting-down': '#f04438',
  terminated: '#98a2b3',
};

export function stateColor(state: string): string {
  return kStateColors[state] ?? '#667085';
}

export function stateBadge(state: string): HTMLElement {
  return h(
    'span',
    { class: `badge state-badge state-${state}`, 'data-testid': 'instance-state' },
    h('span', { class: 'state-dot', style: `background:${stateColor(state)}`, 'aria-hidden': 'true' }),
    state,
  );
}

const kSagaStatusLabels: Record<string, string> = {
  running: 'Running',
  compensating: 'Compensating',
  completed: 'Completed',
  compensated: 'Compensated',
  compensation_failed: 'Compensation failed',
};

export function sagaStatusBadge(status: string): HTMLElement {
  return h(
    'span',
    { class: `badge saga-badge saga-${status}`, 'data-testid': 'saga-status' },
    status === 'running' || status === 'compensating' ? h('span', { class: 'pulse', 'aria-hidden': 'true' }) : null,
    kSagaStatusLabels[status] ?? status,
  );
}

export function zoneChip(zone: string): HTMLElement {
  return h(
    'span',
    { class: 'zone-chip' },
    h('span', { class: 'dot', style: `background:${zoneColor(zone)}`, 'aria-hidden': 'true' }),
    zone,
  );
}

// "i-0a1b2c…718": IDs are long; the title keeps the whole.
export function shortId(id: string, keep = 10): HTMLElement {
  const text = id.length > keep + 4 ? `${id.slice(0, keep)}…${id.slice(-3)}` : id;
  return h('span', { class: 'mono', title: id }, text);
}
