// A service name with its waterfall color, so the dashboard and the trace view agree.
// Example: serviceTag('users')

import { h } from '../dom';
import { serviceColor } from '../waterfall_layout';

export function serviceDot(service: string): HTMLElement {
  return h('span', { class: 'dot', style: `background:${serviceColor(service)}`, 'aria-hidden': 'true' });
}

export function serviceTag(service: string): HTMLElement {
  return h('span', { class: 'service-tag' }, serviceDot(service), service);
}

export function statusBadge(error: boolean): HTMLElement {
  return error
    ? h('span', { class: 'badge badge-error', 'data-testid': 'error-badge' }, 'Error')
    : h('span', { class: 'badge badge-ok' }, 'OK');
}
