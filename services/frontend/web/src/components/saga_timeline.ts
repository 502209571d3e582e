// The saga timeline: one row per step and per compensation, each attempt a bar on a common time
// axis (failures red, with their errors listed under the row; compensations hatched amber; the
// waits between attempts dashed), what each step persisted, and "now" while the saga runs.
// Geometry comes from saga_timeline_layout.ts; this file only draws it.
// Example: card.append(sagaTimeline(saga, Date.now() * 1000));

import { h } from '../dom';
import { formatDurationUs } from '../format';
import type { Saga } from '../infra_api';
import { layoutSagaTimeline, type Attempt, type RowState, type TimelineRow } from '../saga_timeline_layout';
import type { AxisBreak, AxisTick } from '../timeline_axis';

const kStateText: Record<RowState, string> = {
  pending: 'not started',
  skipped: 'not run',
  running: 'running',
  waiting: 'waiting',
  retrying: 'retrying',
  succeeded: 'succeeded',
  failed: 'failed',
  compensating: 'undoing',
  compensated: 'undone',
  compensation_failed: 'undo failed',
};

const kOutcomeText: Record<Attempt['outcome'], string> = {
  succeeded: 'succeeded',
  retry: 'failed, retried',
  failed: 'failed',
  polled: 'not ready yet, polled again',
  running: 'running',
  interrupted: 'no outcome recorded',
};

const ms = (v: number): string => formatDurationUs(v * 1000);

function valueText(v: unknown): string {
  if (v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function legend(): HTMLElement {
  const item = (cls: string, label: string): HTMLElement =>
    h('span', { class: 'wf-legend-item' }, h('span', { class: `tl-swatch ${cls}` }), label);
  return h(
    'div',
    { class: 'wf-legend', 'data-testid': 'timeline-legend' },
    item('tl-ok', 'attempt'),
    item('tl-fail', 'failed attempt'),
    item('tl-poll', 'poll'),
    item('tl-run', 'running'),
    item('tl-comp', 'compensation'),
    item('tl-wait', 'backoff before a retry'),
  );
}

function axis(ticks: AxisTick[], breaks: AxisBreak[]): HTMLElement {
  return h(
    'div',
    { class: 'tl-row tl-head' },
    h('div', { class: 'tl-label' }, 'Step'),
    h(
      'div',
      { class: 'wf-axis' },
      ...ticks.map((t) => {
        const end = t.pct > 92;
        return h(
          'span',
          { class: `wf-tick${end ? ' wf-tick-end' : ''}`, style: end ? `right:${100 - t.pct}%` : `left:${t.pct}%` },
          t.label,
        );
      }),
      ...breaks.map((b) =>
        h('span', { class: 'tl-break-label', style: `left:${b.leftPct}%;width:${b.widthPct}%`, title: b.label }, '⋯'),
      ),
    ),
  );
}

function bar(row: TimelineRow, a: Attempt): HTMLElement {
  const comp = row.direction === 'compensation';
  const cls = {
    succeeded: comp ? 'tl-comp' : 'tl-ok',
    retry: 'tl-fail tl-retried',
    failed: 'tl-fail',
    polled: comp ? 'tl-comp tl-poll-comp' : 'tl-poll',
    running: comp ? 'tl-comp tl-run' : 'tl-run',
    interrupted: 'tl-fail',
  }[a.outcome];
  const when = `+${formatDurationUs(a.startUs)}`; // from the saga's start, breaks included
  const next = a.nextInMs !== null ? ` · again after ${ms(a.nextInMs)}` : '';
  const err = a.error ? ` · ${a.error}` : '';
  const handler = a.handlerMs !== null && a.handlerMs < a.durationMs - 2 ? ` (its handlers ${ms(a.handlerMs)})` : '';
  return h('span', {
    class: `tl-bar ${cls}`,
    style: `left:${a.leftPct}%;width:${a.widthPct}%`,
    title: `${comp ? 'undo ' : ''}${row.name} · attempt ${a.attempt} · ${kOutcomeText[a.outcome]} · ${ms(a.durationMs)}${handler} at ${when}${next}${err}`,
    'data-testid': 'timeline-attempt',
    'data-outcome': a.outcome,
  });
}

// The row's time, right of its last bar; left of its first when the bars reach the far end; and
// when they span nearly everything, just after the first bar, over the wait line.
function durationLabel(row: TimelineRow): HTMLElement | null {
  const first = row.attempts[0];
  const last = row.attempts[row.attempts.length - 1];
  if (!first || !last) return null;
  // One attempt: its own time. Several (retries, polls): from the first start to the last end,
  // waits included, which is how long the step held the saga up.
  const took = row.attempts.length === 1 ? first.durationMs : Math.max(0, last.endUs - first.startUs) / 1000;
  const polls = row.attempts.filter((a) => a.outcome === 'polled').length;
  const text = [
    ms(took),
    row.tries > 1 ? `${row.tries} attempts` : '',
    polls > 0 ? `${polls} poll${polls === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const end = last.leftPct + last.widthPct;
  let style = `left:calc(${end}% + 6px)`;
  let cls = 'wf-dur';
  if (end > 80 && first.leftPct > 20) style = `right:calc(${100 - first.leftPct}% + 6px)`;
  else if (end > 80) {
    style = `left:calc(${first.leftPct + first.widthPct}% + 6px)`;
    cls += ' tl-dur-over';
  }
  return h('span', { class: cls, style }, text);
}

function label(row: TimelineRow): HTMLElement {
  const comp = row.direction === 'compensation';
  const facts: (HTMLElement | string)[] = [
    h('span', { class: `tl-state tl-state-${row.state}` }, kStateText[row.state]),
  ];
  if (row.retries > 0)
    facts.push(h('span', { class: 'tl-retries' }, `${row.retries} ${row.retries === 1 ? 'retry' : 'retries'}`));
  if (row.persistKey) {
    facts.push(
      h(
        'span',
        {
          class: `tl-persist${row.persisted ? '' : ' muted'}`,
          title: row.persisted ? valueText(row.persistedValue) : 'persisted when the step succeeds',
        },
        `→ ${row.persistKey}`,
        row.persisted && row.persistedValue !== undefined
          ? h('span', { class: 'mono' }, ` = ${valueText(row.persistedValue)}`)
          : null,
      ),
    );
  }
  return h(
    'div',
    { class: 'tl-label' },
    h(
      'div',
      { class: 'tl-title' },
      h('span', { class: 'tl-index' }, String(row.step + 1)),
      h('span', { class: 'tl-name' }, comp ? `undo ${row.name}` : row.name),
      row.async && !comp
        ? h('span', { class: 'chip', title: 'sends a command and waits for its reply' }, 'async')
        : null,
      row.compensable && !comp ? h('span', { class: 'chip', title: 'has a compensation' }, 'undoable') : null,
    ),
    h('div', { class: 'tl-facts' }, ...facts),
  );
}

function errorsOf(row: TimelineRow): HTMLElement | null {
  const failed = row.attempts.filter((a) => a.error);
  if (failed.length === 0) return null;
  return h(
    'ul',
    { class: 'tl-errors', 'data-testid': 'timeline-errors' },
    ...failed.map((a) =>
      h(
        'li',
        {},
        h('span', { class: 'tl-err-attempt' }, `attempt ${a.attempt}`),
        h('span', { class: 'mono' }, a.error),
        a.outcome === 'retry' && a.nextInMs !== null
          ? h('span', { class: 'muted' }, `retried after ${ms(a.nextInMs)}`)
          : null,
        a.outcome === 'failed' ? h('span', { class: 'tl-err-final' }, comp(row) ? 'gave up' : 'failed for good') : null,
      ),
    ),
  );
}
const comp = (row: TimelineRow): boolean => row.direction === 'compensation';

function stepRow(row: TimelineRow): HTMLElement[] {
  const el = h(
    'div',
    {
      class: `tl-row tl-step tl-${row.direction}${row.current ? ' tl-current' : ''}`,
      'data-testid': 'timeline-row',
      'data-step': row.name,
      'data-direction': row.direction,
      'data-state': row.state,
    },
    label(row),
    h(
      'div',
      { class: 'tl-track' },
      ...row.waits.map((w) =>
        h('span', { class: `tl-gap tl-gap-${w.kind}`, style: `left:${w.leftPct}%;width:${w.widthPct}%` }),
      ),
      ...row.attempts.map((a) => bar(row, a)),
      durationLabel(row),
    ),
  );
  const errors = errorsOf(row);
  return errors ? [el, h('div', { class: `tl-errors-row tl-${row.direction}` }, errors)] : [el];
}

export function sagaTimeline(saga: Saga, nowUs: number): HTMLElement {
  const layout = layoutSagaTimeline(saga, nowUs);
  if (layout.rows.length === 0) return h('p', { class: 'empty' }, 'This saga has no steps to show yet.');
  const body: HTMLElement[] = [];
  let inCompensation = false;
  for (const row of layout.rows) {
    if (row.direction === 'compensation' && !inCompensation) {
      inCompensation = true;
      body.push(
        h(
          'div',
          { class: 'tl-section' },
          'Compensations, in the order they ran: the last completed step is undone first',
        ),
      );
    }
    body.push(...stepRow(row));
  }
  // Labels near the right end sit left of their line, so that they stay inside the track; labels
  // of lines close together are stacked.
  let lastPct = -100;
  let lift = 0;
  const markers = layout.markers
    .slice()
    .sort((a, b) => a.pct - b.pct)
    .map((m) => {
      // A line just before a break labels itself on its left, one just after on its right.
      const beforeBreak = layout.breaks.some((b) => Math.abs(b.leftPct - m.pct) < 1);
      const afterBreak = layout.breaks.some((b) => Math.abs(b.leftPct + b.widthPct - m.pct) < 1);
      const end = beforeBreak || (m.pct > 88 && !afterBreak);
      lift = m.pct - lastPct < 12 && !afterBreak ? lift + 1 : 0;
      lastPct = m.pct;
      return h(
        'div',
        { class: `tl-line tl-${m.kind}${end ? ' tl-line-end' : ''}`, style: `left:${m.pct}%` },
        h('span', { style: `bottom:${3 + lift * 18}px` }, m.label),
      );
    });
  return h(
    'div',
    { class: 'timeline', 'data-testid': 'saga-timeline' },
    legend(),
    axis(layout.ticks, layout.breaks),
    h(
      'div',
      { class: 'tl-body' },
      h(
        'div',
        { class: 'wf-grid tl-grid', 'aria-hidden': 'true' },
        h('div', {}),
        h('div', { class: 'wf-grid-lines' }, ...layout.ticks.map((t) => h('span', { style: `left:${t.pct}%` }))),
      ),
      h(
        'div',
        { class: 'wf-grid tl-grid tl-markers', 'aria-hidden': 'true' },
        h('div', {}),
        h(
          'div',
          { class: 'tl-marker-lines' },
          ...layout.breaks.map((b) =>
            h(
              'div',
              { class: 'tl-break', style: `left:${b.leftPct}%;width:${b.widthPct}%`, title: b.label },
              h('span', {}, b.label),
            ),
          ),
          ...markers,
        ),
      ),
      ...body,
    ),
  );
}
