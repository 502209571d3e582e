// The Infrastructure page's tables: instances (ID, cluster, zone, private IP, state, endpoints)
// and recent sagas (type, status, current step, age). A row that belongs to a saga selects it.
// Example: instancesTable(instances, (sagaId) => select(sagaId))

import { h } from '../dom';
import { dataTable } from './data_table';
import { formatAgo, formatDurationUs, parseRfc3339Micros } from '../format';
import type { Instance, SagaSummary } from '../infra_api';
import { sagaStatusBadge, shortId, stateBadge, zoneChip } from './infra_badges';

function ago(rfc3339: string): HTMLElement {
  const us = parseRfc3339Micros(rfc3339);
  return h('span', { title: rfc3339 }, us === null ? '–' : formatAgo((Date.now() * 1000 - us) / 1e6));
}

function endpoints(e: Record<string, string> | undefined): HTMLElement {
  const list = Object.entries(e ?? {});
  if (list.length === 0) return h('span', { class: 'muted' }, '–');
  return h(
    'div',
    { class: 'endpoints' },
    ...list.map(([name, addr]) =>
      h(
        'div',
        { class: 'nowrap' },
        h('span', { class: 'muted small endpoint-name' }, name),
        h('span', { class: 'mono' }, addr),
      ),
    ),
  );
}

export function instancesTable(instances: Instance[], onSaga: (sagaId: string) => void): HTMLElement {
  if (instances.length === 0) {
    return h(
      'p',
      { class: 'empty', 'data-testid': 'instances-empty' },
      'No instances yet. Instances that made0 creates (for example with made0ctl, or for an etcd cluster) show up here.',
    );
  }
  const sorted = instances
    .slice()
    .sort(
      (a, b) =>
        a.cluster.localeCompare(b.cluster) ||
        a.availability_zone.localeCompare(b.availability_zone) ||
        a.id.localeCompare(b.id),
    );
  const rows = sorted.map((i) => {
    const row = h(
      'tr',
      {
        class: i.saga_id ? 'clickable' : '',
        'data-testid': 'instance-row',
        'data-instance-id': i.id,
        title: i.saga_id ? 'Show the saga that created it' : '',
      },
      h('td', { class: 'mono' }, i.id),
      h('td', { title: i.owner ? `owner ${i.owner}` : '' }, h('span', { class: 'cluster-name' }, i.cluster)),
      h('td', {}, zoneChip(i.availability_zone)),
      h('td', { class: 'mono' }, i.private_ip),
      h(
        'td',
        {},
        stateBadge(i.state),
        i.state_reason
          ? h('div', { class: 'muted small state-reason', 'data-testid': 'instance-state-reason' }, i.state_reason)
          : null,
      ),
      h('td', {}, endpoints(i.endpoints)),
      h('td', { class: 'muted small' }, [i.instance_type, i.image].filter(Boolean).join(' · ') || '–'),
      h('td', { class: 'nowrap' }, ago(i.created_at)),
    );
    if (i.saga_id) row.addEventListener('click', () => onSaga(i.saga_id!));
    return row;
  });
  return dataTable(
    ['Instance', 'Cluster', 'Zone', 'Private IP', 'State', 'Endpoints', 'Type · image', 'Created'],
    rows,
  );
}

// The summary's times bound a finished saga: created, and updated by its last transition.
function took(s: SagaSummary): string {
  const a = parseRfc3339Micros(s.created_at);
  const b = parseRfc3339Micros(s.updated_at);
  return a === null || b === null ? '' : ` · ${formatDurationUs(Math.max(0, b - a))}`;
}

const kFinishedText: Record<string, string> = {
  completed: 'all steps done',
  compensated: 'undone',
  compensation_failed: 'stopped, needs a retry',
};

function stepText(s: SagaSummary, total: number | null): HTMLElement {
  if (s.phase === 'done') return h('span', { class: 'muted' }, `${kFinishedText[s.status] ?? 'finished'}${took(s)}`);
  const of = total ? `${s.step + 1}/${total} ` : '';
  const undo = s.status === 'compensating' || s.status === 'compensation_failed' ? 'undo ' : '';
  return h(
    'span',
    {},
    h('span', { class: 'muted small' }, of),
    h('span', { class: 'step-name' }, `${undo}${s.step_name || '–'}`),
    s.attempt > 1 ? h('span', { class: 'muted small' }, ` · attempt ${s.attempt}`) : null,
    s.phase === 'awaiting_reply' ? h('span', { class: 'muted small' }, ' · awaiting reply') : null,
  );
}

export function sagasTable(
  sagas: SagaSummary[],
  selected: string | null,
  stepCounts: ReadonlyMap<string, number>,
  onSelect: (sagaId: string) => void,
): HTMLElement {
  if (sagas.length === 0) {
    return h(
      'p',
      { class: 'empty', 'data-testid': 'sagas-empty' },
      'No sagas yet. Creating or terminating an instance starts one.',
    );
  }
  const rows = sagas.map((s) => {
    const row = h(
      'tr',
      {
        class: `clickable${s.id === selected ? ' row-selected' : ''}${s.status === 'compensation_failed' ? ' row-error' : ''}`,
        'data-testid': 'saga-row',
        'data-saga-id': s.id,
        'aria-selected': s.id === selected ? 'true' : 'false',
      },
      h('td', {}, h('span', { class: 'saga-type' }, s.type), h('div', {}, shortId(s.id, 21))),
      h('td', {}, sagaStatusBadge(s.status)),
      h('td', {}, stepText(s, stepCounts.get(s.type) ?? null)),
      h('td', { class: 'saga-error', title: s.error }, s.error ? s.error : h('span', { class: 'muted' }, '–')),
      h('td', { class: 'nowrap' }, ago(s.created_at)),
    );
    row.addEventListener('click', () => onSelect(s.id));
    return row;
  });
  return dataTable(['Saga', 'Status', 'Current step', 'Error', 'Started'], rows);
}
