// /verify?token=...: confirms the address from the mailed link. On success it moves on to
// log in (or home when already logged in); a dead link explains why and offers a new one.

import { api } from '../api';
import { h, replaceChildren, spinner } from '../dom';
import { ApiError, bannerText } from '../errors';
import { authCard, icon } from '../components/layout';
import { resendControl, type ResendControl } from '../components/resend';
import { navigate, type Page, type PageContext } from '../router';
import { session } from '../session';

const kRedirectDelayMs = 2500;

interface Failure {
  title: string;
  text: string;
  showLogin: boolean;
}

// Pure: the words for a failed verification.
export function verifyFailure(err: unknown): Failure {
  const code = err instanceof ApiError ? err.code : '';
  switch (code) {
    case 'gone':
      return {
        title: 'This link has expired',
        text: 'Links are valid for a limited time. Enter your email and we will send you a new one.',
        showLogin: false,
      };
    case 'conflict':
      return {
        title: 'This link was already used',
        text: 'Your email is probably confirmed already: try logging in. If not, ask for a new link.',
        showLogin: true,
      };
    case 'not_found':
    case 'invalid':
    case 'malformed':
      return {
        title: 'This link is not valid',
        text: 'It may have been copied incompletely. Open the link from the latest email, or ask for a new one.',
        showLogin: false,
      };
    default:
      return { title: "We couldn't confirm your email", text: bannerText(err), showLogin: false };
  }
}

export function verifyPage(ctx: PageContext): Page {
  const root = h('div', { class: 'verify-slot' });
  const token = ctx.query.get('token')?.trim() ?? '';
  let alive = true;
  let resend: ResendControl | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const show = (el: HTMLElement): void => replaceChildren(root, el);

  const fail = (err: unknown): void => {
    const f = verifyFailure(err);
    const transient =
      err instanceof ApiError &&
      (err.code === 'network' || err.code === 'unavailable' || err.code === 'internal' || err.code === 'rate_limited');
    const retry = h('button', { type: 'button', class: 'btn btn-primary btn-block' }, 'Try again');
    retry.addEventListener('click', () => start());
    resend?.dispose();
    resend = transient ? null : resendControl({ label: 'Send a new link', primary: !f.showLogin });
    const login = f.showLogin ? h('a', { href: '/login', class: 'btn btn-primary btn-block' }, 'Log in') : null;
    show(
      authCard(
        {
          title: f.title,
          subtitle: f.text,
          badge: icon(err instanceof ApiError && err.code === 'gone' ? 'clock' : 'alert'),
          testid: 'page-verify-failed',
          footer: f.showLogin ? null : ['Or go back to ', h('a', { href: '/login' }, 'log in')],
        },
        transient ? retry : login,
        login ? h('div', { class: 'divider' }, h('span', {}, 'or get a new link')) : null,
        resend?.el,
      ),
    );
  };

  const succeed = (email: string, loggedIn: boolean): void => {
    const target = loggedIn ? '/' : `/login?verified=1&email=${encodeURIComponent(email)}`;
    const go = h(
      'a',
      { href: target, class: 'btn btn-primary btn-block', 'data-testid': 'verify-continue' },
      loggedIn ? 'Go to the console' : 'Continue to log in',
    );
    show(
      authCard(
        {
          title: 'Email confirmed',
          subtitle: [
            h('strong', {}, email),
            loggedIn ? ' is confirmed. Taking you to your console…' : ' is confirmed. Taking you to log in…',
          ],
          badge: icon('check'),
          testid: 'page-verify-ok',
        },
        go,
      ),
    );
    timer = setTimeout(() => {
      if (alive) navigate(target, { replace: true });
    }, kRedirectDelayMs);
  };

  const start = (): void => {
    show(
      authCard(
        { title: 'Confirming your email', testid: 'page-verify-pending' },
        h('div', { class: 'center-row' }, spinner(), h('span', { class: 'muted' }, 'One moment…')),
      ),
    );
    if (token === '') {
      fail(new ApiError(422, 'invalid', 'The link has no token.'));
      return;
    }
    api.verify(token).then(
      async (r) => {
        // A session (if any) now belongs to a verified user: refresh it before moving on.
        const user = await session.load(true).catch(() => null);
        if (alive) succeed(r.email, user !== null);
      },
      (err: unknown) => {
        if (alive) fail(err);
      },
    );
  };
  start();

  return {
    title: 'Confirm email',
    el: root,
    dispose: () => {
      alive = false;
      resend?.dispose();
      if (timer) clearTimeout(timer);
    },
  };
}
