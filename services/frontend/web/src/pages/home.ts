// / (home): greeting, live service instances (every 3 s) and recent traces (every 5 s).

import { api, type ServiceInstance, type TraceSummary } from '../api';
import { h, replaceChildren } from '../dom';
import { ApiError } from '../errors';
import { formatAgo, formatDurationUs, formatTimestamp, formatUptime, parseRfc3339Micros } from '../format';
import { dataTable } from '../components/data_table';
import { liveCard, type LiveCard } from '../components/live_card';
import { poll } from '../components/poller';
import { serviceDot, serviceTag, statusBadge } from '../components/service_tag';
import { navigate, type Page } from '../router';
import { session } from '../session';

const kServicesEveryMs = 3000;
const kTracesEveryMs = 5000;
const kTraceLimit = 20;

function nowMicros(): number {
  return Date.now() * 1000;
}

function servicesTable(instances: ServiceInstance[]): HTMLElement {
  if (instances.length === 0) return h('p', { class: 'empty' }, 'No service instances are registered right now.');
  const sorted = instances.slice().sort((a, b) => a.service.localeCompare(b.service) || a.id.localeCompare(b.id));
  const rows = sorted.map((i) => {
    const started = parseRfc3339Micros(i.started_at);
    const uptime = started === null ? '–' : formatUptime(Math.max(0, (nowMicros() - started) / 1e6));
    return h(
      'tr',
      { 'data-testid': 'service-row' },
      h('td', {}, serviceTag(i.service)),
      h('td', { class: 'mono', title: i.id }, i.id),
      h('td', { class: 'mono' }, `${i.address}:${i.port}`),
      h('td', { class: 'num', title: i.started_at }, uptime),
      h('td', { class: 'muted' }, i.version ?? ''),
    );
  });
  return dataTable(['Service', 'Instance ID', 'Address', ['Uptime', 'num'], 'Version'], rows);
}

function tracesTable(traces: TraceSummary[]): HTMLElement {
  if (traces.length === 0)
    return h('p', { class: 'empty' }, 'No traces recorded yet. Requests to made0 will show up here.');
  const maxDur = Math.max(1, ...traces.map((t) => t.duration_us));
  const rows = traces.map((t) => {
    const start = parseRfc3339Micros(t.start);
    const href = `/traces/${encodeURIComponent(t.trace_id)}`;
    const row = h(
      'tr',
      { class: `clickable${t.error ? ' row-error' : ''}`, 'data-testid': 'trace-row' },
      h(
        'td',
        {},
        h('a', { href, class: 'trace-name' }, t.name || '(unnamed)'),
        h(
          'div',
          { class: 'trace-services' },
          ...(t.services ?? []).map((s) => serviceDot(s)),
          h('span', { class: 'mono muted' }, t.trace_id.slice(0, 8)),
        ),
      ),
      h('td', {}, serviceTag(t.service)),
      h(
        'td',
        { class: 'nowrap', title: t.start },
        start === null ? '–' : formatTimestamp(start),
        h('div', { class: 'muted small' }, start === null ? '' : formatAgo((nowMicros() - start) / 1e6)),
      ),
      h(
        'td',
        { class: 'num' },
        formatDurationUs(t.duration_us),
        h(
          'div',
          { class: 'mini-bar' },
          h('span', { style: `width:${Math.max(2, (t.duration_us / maxDur) * 100).toFixed(1)}%` }),
        ),
      ),
      h('td', { class: 'num' }, String(t.span_count)),
      h('td', {}, statusBadge(t.error)),
    );
    row.addEventListener('click', (ev) => {
      if ((ev.target as Element).closest('a')) return; // the link navigates by itself
      navigate(href);
    });
    return row;
  });
  return dataTable(['Trace', 'Root service', 'Started', ['Duration', 'num'], ['Spans', 'num'], 'Status'], rows);
}

function stat(label: string): { el: HTMLElement; set(v: string): void } {
  const value = h('div', { class: 'stat-value' }, '–');
  return {
    el: h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label), value),
    set: (v) => (value.textContent = v),
  };
}

export function homePage(): Page {
  const email = session.user?.email ?? '';
  const services = liveCard('Running services', 'services-card', kServicesEveryMs / 1000);
  const traces = liveCard('Recent traces', 'traces-card', kTracesEveryMs / 1000);
  const instCount = stat('Service instances');
  const svcCount = stat('Services up');
  const errCount = stat(`Errors in last ${kTraceLimit} traces`);
  let alive = true;

  const onError = (card: LiveCard, err: unknown): void => {
    if (err instanceof ApiError && err.status === 401) {
      session.set(null);
      navigate('/login', { replace: true });
      return;
    }
    card.setUpdated(false, err);
  };

  const servicesPoll = poll(async () => {
    try {
      const r = await api.services();
      if (!alive) return;
      replaceChildren(services.body, servicesTable(r.instances ?? []));
      instCount.set(String(r.instances?.length ?? 0));
      svcCount.set(String(new Set((r.instances ?? []).map((i) => i.service)).size));
      services.setUpdated(true);
    } catch (e) {
      if (alive) onError(services, e);
    }
  }, kServicesEveryMs);

  const tracesPoll = poll(async () => {
    try {
      const r = await api.traces(kTraceLimit);
      if (!alive) return;
      replaceChildren(traces.body, tracesTable(r.traces ?? []));
      errCount.set(String((r.traces ?? []).filter((t) => t.error).length));
      traces.setUpdated(true);
    } catch (e) {
      if (alive) onError(traces, e);
    }
  }, kTracesEveryMs);

  const el = h(
    'div',
    { class: 'page', 'data-testid': 'page-home' },
    h(
      'div',
      { class: 'page-header' },
      h('h1', { 'data-testid': 'greeting' }, `Welcome, ${email}`),
      h('p', { class: 'muted' }, 'Your made0 control plane at a glance: what is running and what it has been doing.'),
    ),
    h('div', { class: 'stats' }, instCount.el, svcCount.el, errCount.el),
    h('div', { class: 'grid' }, services.el, traces.el),
  );

  return {
    title: 'Home',
    el,
    dispose: () => {
      alive = false;
      servicesPoll.stop();
      tracesPoll.stop();
    },
  };
}
