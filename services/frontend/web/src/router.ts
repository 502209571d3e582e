// A small history-API router: a table of path patterns ("/traces/:id") to page factories,
// with an access rule per route. Same-origin <a> clicks are handled without a reload.
// Example: startRouter(mainEl, [{ path: '/login', access: 'guest', page: loginPage }]);

import { h, replaceChildren } from './dom';
import { bannerText } from './errors';
import { session } from './session';

export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface Page {
  title: string;
  el: HTMLElement;
  dispose?: () => void; // stop timers and requests when the page is left
}

// public: anyone; guest: signed-out people (a verified user is sent home);
// verified: a signed-in, verified user (others go to /login or /check-email).
export type Access = 'public' | 'guest' | 'verified';

export interface Route {
  path: string;
  access: Access;
  page: (ctx: PageContext) => Page;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

// Pure: which route a path belongs to, with its decoded parameters.
export function matchRoute(routes: readonly Route[], pathname: string): Match | null {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    pattern.forEach((p, i) => {
      const part = parts[i] ?? '';
      if (p.startsWith(':')) {
        try {
          params[p.slice(1)] = decodeURIComponent(part);
        } catch {
          ok = false;
        }
      } else if (p !== part) ok = false;
    });
    if (ok) return { route, params };
  }
  return null;
}

// kNavigatedEvent is dispatched on window after each page is shown (the top bar marks its link).
export const kNavigatedEvent = 'made0:navigated';

let outlet: HTMLElement | null = null;
let table: Route[] = [];
let current: Page | null = null;
let generation = 0;

export function navigate(url: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void render();
}

function notFoundPage(): Page {
  return {
    title: 'Not found',
    el: h(
      'section',
      { class: 'auth-wrap' },
      h(
        'div',
        { class: 'card auth-card' },
        h('h1', {}, 'Page not found'),
        h('p', { class: 'muted' }, "There's nothing at this address."),
        h('a', { href: '/', class: 'btn btn-primary' }, 'Go to the console'),
      ),
    ),
  };
}

function sessionErrorPage(err: unknown): Page {
  const retry = h('button', { class: 'btn btn-primary', type: 'button' }, 'Try again');
  retry.addEventListener('click', () => void render());
  return {
    title: 'Unavailable',
    el: h(
      'section',
      { class: 'auth-wrap' },
      h(
        'div',
        { class: 'card auth-card' },
        h('h1', {}, "Can't load the console"),
        h('div', { class: 'banner banner-warning', role: 'alert' }, bannerText(err)),
        retry,
      ),
    ),
  };
}

// Where a route's access rule sends the current user instead, or null to stay.
async function redirectFor(access: Access): Promise<string | null> {
  if (access === 'public') return null;
  if (access === 'guest') {
    // The log-in and sign-up forms stay usable even when /api/me cannot be answered.
    const user = await session.load().catch(() => null);
    return user?.verified ? '/' : null;
  }
  const user = await session.load();
  if (!user) {
    const here = location.pathname + location.search;
    return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
  }
  if (!user.verified) return `/check-email?email=${encodeURIComponent(user.email)}`;
  return null;
}

async function render(): Promise<void> {
  if (!outlet) return;
  const gen = ++generation;
  const match = matchRoute(table, location.pathname);
  let page: Page;
  if (!match) {
    page = notFoundPage();
  } else {
    try {
      const target = await redirectFor(match.route.access);
      if (gen !== generation) return;
      if (target !== null) {
        navigate(target, { replace: true });
        return;
      }
      page = match.route.page({ params: match.params, query: new URLSearchParams(location.search) });
    } catch (e) {
      if (gen !== generation) return;
      page = sessionErrorPage(e);
    }
  }
  current?.dispose?.();
  current = page;
  document.title = `${page.title} · made0`;
  replaceChildren(outlet, page.el);
  window.dispatchEvent(new CustomEvent(kNavigatedEvent));
  window.scrollTo(0, 0);
  const focusable = page.el.querySelector<HTMLElement>('[autofocus]');
  focusable?.focus();
}

function onClick(ev: MouseEvent): void {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = (ev.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  ev.preventDefault();
  if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search + url.hash);
}

export function startRouter(el: HTMLElement, routes: Route[]): void {
  outlet = el;
  table = routes;
  window.addEventListener('popstate', () => void render());
  document.addEventListener('click', onClick);
  void render();
}

// Only same-site paths are followed after login, never an absolute URL from the query.
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
