// dataTable: the console's table (a scrolling wrapper, a header row, the given body rows).
// A heading is its text, or [text, class] for a class on its cell (e.g. 'num' to right-align).
// Example: dataTable(['Service', ['Uptime', 'num']], rows)

import { h } from '../dom';

export type Heading = string | [string, string];

export function dataTable(head: Heading[], rows: HTMLElement[]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table' },
      h(
        'thead',
        {},
        h('tr', {}, ...head.map((c) => (typeof c === 'string' ? h('th', {}, c) : h('th', { class: c[1] }, c[0])))),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}
