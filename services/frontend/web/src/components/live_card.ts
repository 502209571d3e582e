// A card whose body is refreshed by polling: a "Live · every Ns" indicator that turns amber
// when a refresh fails, with a banner saying so while the last data stays on screen. Used by
// the home dashboard and the Infrastructure page.
// Example: const c = liveCard('Running services', 'services-card', 3); c.setUpdated(false, err);

import { h, spinner } from '../dom';
import { bannerText } from '../errors';

export interface LiveCard {
  el: HTMLElement;
  body: HTMLElement;
  setUpdated(ok: boolean, err?: unknown): void;
  setStale(stale: boolean): void; // only the indicator, for a card that shows its error itself
}

export function liveCard(title: string, testid: string, everyS: number): LiveCard {
  const status = h('span', { class: 'live' }, h('span', { class: 'live-dot' }), `Live · every ${everyS}s`);
  const problem = h('div', { class: 'banner banner-warning banner-compact', role: 'status', hidden: true });
  const body = h('div', { class: 'card-body' }, h('div', { class: 'loading-row' }, spinner(), 'Loading…'));
  const el = h(
    'section',
    { class: 'card', 'data-testid': testid },
    h('header', { class: 'card-header' }, h('h2', {}, title), h('div', { class: 'card-tools' }, status)),
    problem,
    body,
  );
  return {
    el,
    body,
    setUpdated(ok, err) {
      status.classList.toggle('live-stale', !ok);
      problem.hidden = ok;
      problem.textContent = ok ? '' : `Couldn't refresh: ${bannerText(err)} Showing the last data received.`;
    },
    setStale(stale) {
      status.classList.toggle('live-stale', stale);
    },
  };
}
