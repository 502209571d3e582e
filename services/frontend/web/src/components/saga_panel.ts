// The selected saga's card on the Infrastructure page: its summary, its timeline, what its steps
// persisted, and "Retry compensation" when it is stuck in compensation_failed. It polls the saga
// every second while the saga is not finished and stops when it is, or when disposed.
// Example: const p = sagaPanel({...}); page.append(p.el); p.show('saga-0123456789abcdef');

import { h, replaceChildren, spinner } from '../dom';
import { ApiError, bannerText } from '../errors';
import { formatAgo, formatDurationUs, formatTimestamp, parseRfc3339Micros } from '../format';
import { infraApi, isFinished, type Saga } from '../infra_api';
import { layoutSagaTimeline } from '../saga_timeline_layout';
import { sagaStatusBadge } from './infra_badges';
import { poll, type Poller } from './poller';
import { sagaTimeline } from './saga_timeline';

export const kSagaEveryMs = 1000;

export interface SagaPanelOptions {
  onLoaded(saga: Saga): void;
  onUnauthenticated(): void;
  onChanged(): void; // a retry was accepted: the lists are stale
}

export interface SagaPanel {
  el: HTMLElement;
  show(id: string, scroll?: boolean): void; // scroll: bring the card into view once loaded
  dispose(): void;
}

function meta(label: string, value: HTMLElement | string, testid?: string): HTMLElement {
  return h(
    'div',
    { class: 'meta', 'data-testid': testid },
    h('div', { class: 'meta-label' }, label),
    h('div', { class: 'meta-value' }, value),
  );
}

function valueText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function kvTable(title: string, obj: Record<string, unknown> | undefined, empty: string): HTMLElement {
  const entries = Object.entries(obj ?? {});
  return h(
    'div',
    { class: 'saga-data' },
    h('h3', {}, title),
    entries.length === 0
      ? h('p', { class: 'muted small' }, empty)
      : h(
          'table',
          { class: 'table table-compact' },
          h(
            'tbody',
            {},
            ...entries.map(([k, v]) =>
              h('tr', {}, h('td', { class: 'mono kv-key' }, k), h('td', { class: 'mono kv-value' }, valueText(v))),
            ),
          ),
        ),
  );
}

function currentStep(s: Saga): string {
  if (s.phase === 'done') return 'done';
  const name = s.step_name || s.steps?.[s.step]?.name || `step ${s.step + 1}`;
  const undo = s.status === 'compensating' || s.status === 'compensation_failed' ? 'undo ' : '';
  const attempt = s.attempt > 0 ? ` · attempt ${s.attempt}` : '';
  const phase = s.phase === 'awaiting_reply' ? ' · awaiting reply' : s.phase === 'finishing' ? ' · reporting' : '';
  return `${undo}${name} (${s.step + 1}/${s.steps?.length ?? '?'})${attempt}${phase}`;
}

export function sagaPanel(opts: SagaPanelOptions): SagaPanel {
  const title = h('h2', {}, 'Saga timeline');
  const tools = h('div', { class: 'card-tools' });
  const body = h(
    'div',
    { class: 'card-body' },
    h('p', { class: 'empty', 'data-testid': 'timeline-empty' }, 'Select a saga above to see its steps on a time axis.'),
  );
  const el = h(
    'section',
    { class: 'card saga-panel', 'data-testid': 'saga-panel' },
    h('header', { class: 'card-header' }, title, tools),
    body,
  );
  let poller: Poller | null = null;
  let generation = 0;
  let current: Saga | null = null;

  const setTools = (saga: Saga | null, stale: unknown = null): void => {
    if (!saga) return replaceChildren(tools);
    const live = !isFinished(saga);
    const retry =
      saga.status === 'compensation_failed'
        ? h(
            'button',
            { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'saga-retry' },
            'Retry compensation',
          )
        : null;
    retry?.addEventListener('click', () => void retryNow(saga.id, retry));
    const status = live
      ? h('span', { class: `live${stale ? ' live-stale' : ''}` }, h('span', { class: 'live-dot' }), 'Live · every 1s')
      : h('span', { class: 'live live-done' }, 'Finished');
    replaceChildren(tools, retry, status);
  };

  const render = (saga: Saga, problem: unknown = null): void => {
    const layout = layoutSagaTimeline(saga, Date.now() * 1000);
    const started = parseRfc3339Micros(saga.created_at);
    const tries = layout.rows.reduce((n, r) => n + r.tries, 0);
    const retries = layout.rows.reduce((n, r) => n + r.retries, 0);
    replaceChildren(title, saga.type, h('span', { class: 'mono saga-id' }, saga.id));
    setTools(saga, problem);
    replaceChildren(
      body,
      problem
        ? h(
            'div',
            { class: 'banner banner-warning banner-inline', role: 'status' },
            `Couldn't refresh: ${bannerText(problem)}`,
          )
        : null,
      h(
        'div',
        { class: 'meta-row meta-row-flat' },
        meta('Status', sagaStatusBadge(saga.status)),
        meta('Current step', currentStep(saga), 'saga-current-step'),
        meta(
          'Started',
          started === null ? '–' : `${formatTimestamp(started)} · ${formatAgo((Date.now() * 1000 - started) / 1e6)}`,
        ),
        meta(isFinished(saga) ? 'Took' : 'Running for', formatDurationUs(layout.totalUs)),
        meta('Attempts', `${tries}${retries ? ` · ${retries} retried` : ''}`),
        meta('Engine', saga.owner || (isFinished(saga) ? '–' : 'waiting for an engine')),
      ),
      saga.error
        ? h(
            'div',
            {
              class: `banner banner-${saga.status === 'compensation_failed' ? 'error' : 'warning'} banner-inline`,
              role: 'status',
              'data-testid': 'saga-error',
            },
            h(
              'strong',
              {},
              saga.status === 'compensation_failed'
                ? 'Compensation failed: '
                : saga.status === 'compensating'
                  ? 'Undoing after: '
                  : 'Last error: ',
            ),
            saga.error,
          )
        : null,
      sagaTimeline(saga, Date.now() * 1000),
      h(
        'div',
        { class: 'saga-data-grid' },
        kvTable('Persisted by its steps', saga.data, 'Nothing persisted yet.'),
        kvTable('Input', saga.input, 'No input.'),
      ),
    );
  };

  const start = (id: string, scroll = false): void => {
    poller?.stop();
    const gen = ++generation;
    poller = poll(async () => {
      try {
        const saga = await infraApi.saga(id);
        if (gen !== generation) return;
        current = saga;
        opts.onLoaded(saga);
        render(saga);
        if (scroll) el.scrollIntoView({ behavior: 'smooth', block: 'start' });
        scroll = false;
        if (isFinished(saga)) poller?.stop();
      } catch (e) {
        if (gen !== generation) return;
        if (e instanceof ApiError && e.status === 401) return opts.onUnauthenticated();
        if (e instanceof ApiError && (e.status === 404 || e.status === 422)) {
          poller?.stop();
          setTools(null);
          replaceChildren(title, 'Saga timeline');
          return replaceChildren(
            body,
            h(
              'div',
              { class: 'banner banner-error', role: 'alert', 'data-testid': 'saga-missing' },
              e.status === 404 ? `There is no saga ${id}. The link may be wrong or the saga removed.` : e.message,
            ),
          );
        }
        if (current?.id === id) render(current, e);
        else replaceChildren(body, h('div', { class: 'banner banner-warning', role: 'alert' }, bannerText(e)));
      }
    }, kSagaEveryMs);
  };

  async function retryNow(id: string, btn: HTMLButtonElement): Promise<void> {
    btn.disabled = true;
    replaceChildren(btn, spinner(), 'Retrying…');
    try {
      await infraApi.retrySaga(id);
      opts.onChanged();
      start(id);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return opts.onUnauthenticated();
      btn.disabled = false;
      replaceChildren(btn, 'Retry compensation');
      body.prepend(
        h('div', { class: 'banner banner-error banner-inline', role: 'alert' }, `Retry refused: ${bannerText(e)}`),
      );
    }
  }

  return {
    el,
    show(id, scroll = false) {
      if (current?.id !== id) {
        current = null;
        replaceChildren(title, 'Saga timeline', h('span', { class: 'mono saga-id' }, id));
        setTools(null);
        replaceChildren(body, h('div', { class: 'loading-row' }, spinner(), 'Loading saga…'));
      }
      start(id, scroll);
    },
    dispose() {
      generation++;
      poller?.stop();
    },
  };
}
