// The top bar on every page: the made0 name, the console's sections (Overview, Infrastructure)
// for verified users, and either the signed-in email with "Log out" or links to log in and sign
// up. Re-renders whenever the session changes; the current section is marked after each page.
// Example: document.body.prepend(topbar());

import type { User } from '../api';
import { api } from '../api';
import { h, replaceChildren, spinner } from '../dom';
import { kNavigatedEvent, navigate } from '../router';
import { session } from '../session';

function logoutButton(): HTMLButtonElement {
  const btn = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'logout' }, 'Log out');
  btn.addEventListener('click', () => {
    btn.disabled = true;
    replaceChildren(btn, spinner(), 'Logging out…');
    // Even if the server is unreachable the person wants out of this screen.
    void api
      .logout()
      .catch(() => undefined)
      .finally(() => {
        session.set(null);
        navigate('/login', { replace: true });
      });
  });
  return btn;
}

function right(user: User | null): HTMLElement {
  if (!user) {
    return h(
      'nav',
      { class: 'topbar-right' },
      h('a', { href: '/login', class: 'topbar-link' }, 'Log in'),
      h('a', { href: '/signup', class: 'btn btn-primary btn-small' }, 'Sign up'),
    );
  }
  return h(
    'div',
    { class: 'topbar-right' },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, user.email.slice(0, 1).toUpperCase()),
    h('span', { class: 'topbar-email', 'data-testid': 'user-email', title: user.email }, user.email),
    logoutButton(),
  );
}

const kSections = [
  { href: '/', label: 'Overview', testid: 'nav-home', match: (p: string) => p === '/' || p.startsWith('/traces/') },
  { href: '/infra', label: 'Infrastructure', testid: 'nav-infra', match: (p: string) => p.startsWith('/infra') },
];

function sections(user: User | null): HTMLElement | null {
  if (!user?.verified) return null;
  return h(
    'nav',
    { class: 'topnav', 'aria-label': 'Sections' },
    ...kSections.map((s) => h('a', { href: s.href, class: 'topnav-link', 'data-testid': s.testid }, s.label)),
  );
}

function markCurrent(nav: HTMLElement): void {
  const path = location.pathname;
  for (const [i, a] of Array.from(nav.querySelectorAll<HTMLAnchorElement>('.topnav-link')).entries()) {
    const on = kSections[i]?.match(path) ?? false;
    a.classList.toggle('topnav-current', on);
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

export function topbar(): HTMLElement {
  const slot = h('div', { class: 'topbar-slot' });
  const navSlot = h('div', { class: 'topnav-slot' });
  const render = (user: User | null): void => {
    replaceChildren(slot, right(user));
    replaceChildren(navSlot, sections(user));
    markCurrent(navSlot);
  };
  window.addEventListener(kNavigatedEvent, () => markCurrent(navSlot));
  // Until /api/me has answered, show neither state rather than flash "Log in".
  if (session.loaded) render(session.user);
  session.subscribe(render);
  return h(
    'header',
    { class: 'topbar' },
    h(
      'div',
      { class: 'topbar-inner' },
      h(
        'a',
        { href: '/', class: 'brand', 'aria-label': 'made0 home' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
        h('span', { class: 'brand-name' }, 'made0'),
        h('span', { class: 'brand-sub' }, 'console'),
      ),
      navSlot,
      slot,
    ),
  );
}
