// Page frames: the centered card used by the sign-up, log-in and email pages, and small
// icons drawn with CSS/SVG so the console needs no image or font files.
// Example: authCard({ title: 'Log in', subtitle: 'Welcome back' }, form)

import { h, svg, type Child } from '../dom';

export function icon(kind: 'mail' | 'check' | 'alert' | 'clock'): HTMLElement {
  const paths: Record<typeof kind, string[]> = {
    mail: ['M4 6h16v12H4z', 'M4 7l8 6 8-6'],
    check: ['M5 12.5l4.5 4.5L19 7.5'],
    alert: ['M12 7v6', 'M12 16.5v.5'],
    clock: ['M12 7v5l3 2'],
  };
  const el = svg('svg', {
    viewBox: '0 0 24 24',
    width: 28,
    height: 28,
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': 2,
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
  });
  if (kind === 'alert' || kind === 'clock') el.appendChild(svg('circle', { cx: 12, cy: 12, r: 9 }));
  for (const d of paths[kind]) el.appendChild(svg('path', { d }));
  return h('div', { class: `icon-badge icon-${kind}`, 'aria-hidden': 'true' }, el);
}

export interface AuthCardOptions {
  title: string;
  subtitle?: Child;
  badge?: HTMLElement;
  footer?: Child;
  testid?: string;
}

export function authCard(opts: AuthCardOptions, ...body: Child[]): HTMLElement {
  return h(
    'section',
    { class: 'auth-wrap', 'data-testid': opts.testid },
    h(
      'div',
      { class: 'card auth-card' },
      opts.badge,
      h('h1', {}, opts.title),
      opts.subtitle ? h('p', { class: 'auth-subtitle' }, opts.subtitle) : null,
      ...body,
    ),
    opts.footer ? h('p', { class: 'auth-footer' }, opts.footer) : null,
  );
}
