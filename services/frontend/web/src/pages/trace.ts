// /traces/:id: one trace's summary and its waterfall.

import { api, type TraceDetail } from '../api';
import { h, replaceChildren, spinner } from '../dom';
import { ApiError, bannerText } from '../errors';
import { formatDurationUs, formatTimestamp } from '../format';
import { serviceTag, statusBadge } from '../components/service_tag';
import { waterfall } from '../components/waterfall';
import { navigate, type Page, type PageContext } from '../router';
import { session } from '../session';
import { layoutWaterfall } from '../waterfall_layout';

function meta(label: string, value: HTMLElement | string, mono = false): HTMLElement {
  return h(
    'div',
    { class: 'meta' },
    h('div', { class: 'meta-label' }, label),
    h('div', { class: `meta-value${mono ? ' mono' : ''}` }, value),
  );
}

function summary(t: TraceDetail): HTMLElement {
  const layout = layoutWaterfall(t.spans);
  const root = layout.rows[0]?.span;
  const services = [...new Set(t.spans.map((s) => s.service))];
  return h(
    'div',
    { class: 'meta-row' },
    meta('Trace ID', t.trace_id, true),
    meta('Root service', root ? serviceTag(root.service) : '–'),
    meta('Started', root ? formatTimestamp(layout.startUs) : '–'),
    meta('Duration', formatDurationUs(layout.totalUs)),
    meta('Spans', String(t.spans.length)),
    meta('Services', String(services.length)),
    meta('Status', statusBadge(t.spans.some((s) => s.error))),
  );
}

export function tracePage(ctx: PageContext): Page {
  const id = ctx.params.id ?? '';
  const title = h('h1', { class: 'trace-title' }, 'Trace');
  const body = h(
    'div',
    {},
    h('div', { class: 'card' }, h('div', { class: 'loading-row' }, spinner(), 'Loading trace…')),
  );
  const refresh = h('button', { type: 'button', class: 'btn btn-secondary btn-small' }, 'Refresh');
  let alive = true;

  const load = (): void => {
    refresh.disabled = true;
    api.trace(id).then(
      (t) => {
        if (!alive) return;
        refresh.disabled = false;
        const root = layoutWaterfall(t.spans).rows[0]?.span;
        title.textContent = root?.name ?? 'Trace';
        replaceChildren(
          body,
          summary(t),
          h(
            'section',
            { class: 'card' },
            h(
              'header',
              { class: 'card-header' },
              h('h2', {}, 'Waterfall'),
              h('span', { class: 'muted small' }, 'Click a span for its details'),
            ),
            h('div', { class: 'card-body' }, waterfall(t.spans)),
          ),
        );
      },
      (err: unknown) => {
        if (!alive) return;
        refresh.disabled = false;
        if (err instanceof ApiError && err.status === 401) {
          session.set(null);
          navigate('/login', { replace: true });
          return;
        }
        const notFound = err instanceof ApiError && err.status === 404;
        replaceChildren(
          body,
          h(
            'div',
            { class: 'card' },
            h(
              'div',
              { class: `banner banner-${notFound ? 'error' : 'warning'}`, role: 'alert' },
              notFound ? "This trace doesn't exist or is no longer kept." : bannerText(err),
            ),
          ),
        );
      },
    );
  };
  refresh.addEventListener('click', load);
  load();

  return {
    title: 'Trace',
    el: h(
      'div',
      { class: 'page', 'data-testid': 'page-trace' },
      h('a', { href: '/', class: 'back-link' }, '← Back to the console'),
      h('div', { class: 'page-header page-header-row' }, title, refresh),
      body,
    ),
    dispose: () => {
      alive = false;
    },
  };
}
