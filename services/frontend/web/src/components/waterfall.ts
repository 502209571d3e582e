// The trace waterfall: one row per span, indented by depth, with a bar on a common time axis
// colored by service, a legend, and a details panel per span. Geometry comes from
// waterfall_layout.ts; this file only draws it.
// Example: container.append(waterfall(trace.spans));

import type { Span } from '../api';
import { h } from '../dom';
import { formatDurationUs } from '../format';
import { layoutWaterfall, legendServices, serviceColor, type WaterfallRow } from '../waterfall_layout';

const kIndentPx = 16;

function legend(services: string[], hasErrors: boolean): HTMLElement {
  return h(
    'div',
    { class: 'wf-legend', 'data-testid': 'waterfall-legend' },
    ...services.map((s) =>
      h(
        'span',
        { class: 'wf-legend-item' },
        h('span', { class: 'wf-swatch', style: `background:${serviceColor(s)}` }),
        s,
      ),
    ),
    hasErrors
      ? h('span', { class: 'wf-legend-item' }, h('span', { class: 'wf-swatch wf-swatch-error' }), 'error')
      : null,
  );
}

function axis(ticks: number[], totalUs: number): HTMLElement {
  return h(
    'div',
    { class: 'wf-row wf-head' },
    h('div', { class: 'wf-label' }, 'Span'),
    h(
      'div',
      { class: 'wf-axis' },
      ...ticks.map((t) => {
        const pct = (t / totalUs) * 100;
        // The last labels would overflow the right edge: anchor them by their end instead.
        const style = pct > 92 ? `right:${(100 - pct).toFixed(3)}%` : `left:${pct.toFixed(3)}%`;
        return h(
          'span',
          { class: `wf-tick${pct > 92 ? ' wf-tick-end' : ''}`, style },
          t === 0 ? '0' : formatDurationUs(t),
        );
      }),
    ),
  );
}

function gridLines(ticks: number[], totalUs: number): HTMLElement {
  return h(
    'div',
    { class: 'wf-grid', 'aria-hidden': 'true' },
    h('div', {}),
    h(
      'div',
      { class: 'wf-grid-lines' },
      ...ticks.map((t) => h('span', { style: `left:${((t / totalUs) * 100).toFixed(3)}%` })),
    ),
  );
}

function attributeValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function details(row: WaterfallRow<Span>): HTMLElement {
  const s = row.span;
  const item = (k: string, v: string, mono = false): HTMLElement[] => [
    h('dt', {}, k),
    h('dd', { class: mono ? 'mono' : '' }, v),
  ];
  const attrs = Object.entries(s.attributes ?? {});
  return h(
    'div',
    { class: 'wf-details' },
    h(
      'dl',
      { class: 'kv' },
      ...item('Service', s.service),
      ...(s.instance ? item('Instance', s.instance, true) : []),
      ...(s.kind ? item('Kind', s.kind) : []),
      ...item('Starts at', `+${formatDurationUs(row.offsetUs)}`),
      ...item('Duration', formatDurationUs(row.durationUs)),
      ...item('Span ID', s.span_id, true),
      ...(s.parent_span_id ? item('Parent', s.parent_span_id, true) : []),
      ...item('Status', s.error ? 'error' : 'ok'),
    ),
    attrs.length
      ? h(
          'table',
          { class: 'table table-compact' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Attribute'), h('th', {}, 'Value'))),
          h(
            'tbody',
            {},
            ...attrs.map(([k, v]) =>
              h('tr', {}, h('td', { class: 'mono' }, k), h('td', { class: 'mono' }, attributeValue(v))),
            ),
          ),
        )
      : h('p', { class: 'muted small' }, 'No attributes.'),
  );
}

function spanRow(row: WaterfallRow<Span>): HTMLElement[] {
  const s = row.span;
  const color = serviceColor(s.service);
  const end = row.leftPct + row.widthPct;
  // Duration label right of the bar; if the bar reaches the far end, left of it; if it
  // spans nearly everything, inside it.
  let labelClass = 'wf-dur';
  let labelStyle = `left:calc(${end.toFixed(3)}% + 6px)`;
  if (end > 82 && row.leftPct >= 15) labelStyle = `right:calc(${(100 - row.leftPct).toFixed(3)}% + 6px)`;
  else if (end > 82) {
    labelClass += ' wf-dur-inside';
    labelStyle = `right:calc(${(100 - end).toFixed(3)}% + 6px)`;
  }
  const panel = h('div', { class: 'wf-details-row', hidden: true }, details(row));
  const el = h(
    'div',
    {
      class: `wf-row wf-span${s.error ? ' wf-error' : ''}`,
      role: 'button',
      tabindex: 0,
      'aria-expanded': 'false',
      'data-testid': 'span-row',
      title: `${s.name} · ${s.service} · ${formatDurationUs(row.durationUs)}`,
    },
    h(
      'div',
      { class: 'wf-label', style: `padding-left:${8 + row.depth * kIndentPx}px` },
      h('span', { class: 'wf-caret', 'aria-hidden': 'true' }, row.depth > 0 ? '└' : ''),
      h('span', { class: 'wf-swatch', style: `background:${color}` }),
      h('span', { class: 'wf-name' }, s.name),
      h('span', { class: 'wf-service' }, s.service),
      s.error ? h('span', { class: 'badge badge-error badge-tiny' }, 'error') : null,
    ),
    h(
      'div',
      { class: 'wf-track' },
      h('div', {
        class: 'wf-bar',
        style: `left:${row.leftPct.toFixed(3)}%;width:${row.widthPct.toFixed(3)}%;background:${color}`,
      }),
      h('span', { class: labelClass, style: labelStyle }, formatDurationUs(row.durationUs)),
    ),
  );
  const toggle = (): void => {
    panel.hidden = !panel.hidden;
    el.setAttribute('aria-expanded', String(!panel.hidden));
    el.classList.toggle('wf-open', !panel.hidden);
  };
  el.addEventListener('click', toggle);
  el.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      toggle();
    }
  });
  return [el, panel];
}

export function waterfall(spans: Span[]): HTMLElement {
  const layout = layoutWaterfall(spans);
  if (layout.rows.length === 0) return h('p', { class: 'empty' }, 'This trace has no spans.');
  return h(
    'div',
    { class: 'waterfall', 'data-testid': 'waterfall' },
    legend(
      legendServices(layout.rows),
      spans.some((s) => s.error),
    ),
    axis(layout.ticks, layout.totalUs),
    h('div', { class: 'wf-body' }, gridLines(layout.ticks, layout.totalUs), ...layout.rows.flatMap(spanRow)),
  );
}
