// /check-email?email=...: tells where the link went and offers to send it again.

import { h } from '../dom';
import { authCard, icon } from '../components/layout';
import { resendControl } from '../components/resend';
import type { Page, PageContext } from '../router';
import { session } from '../session';

export function checkEmailPage(ctx: PageContext): Page {
  const email = (ctx.query.get('email') ?? session.user?.email ?? '').trim();
  const resend = resendControl(email ? { email } : { label: 'Send link' });
  const subtitle = email
    ? [
        'We sent a link to ',
        h('strong', { 'data-testid': 'sent-to' }, email),
        '. Open it to confirm your address and finish setting up your account.',
      ]
    : 'We sent you a link. Open it to confirm your address; or enter your email to get a new one.';
  return {
    title: 'Check your email',
    el: authCard(
      {
        title: 'Check your email',
        subtitle,
        badge: icon('mail'),
        testid: 'page-check-email',
        footer: [
          'Already confirmed? ',
          h('a', { href: email ? `/login?email=${encodeURIComponent(email)}` : '/login' }, 'Log in'),
        ],
      },
      h('p', { class: 'muted small' }, "Didn't get it? Look in your spam folder, or ask for a new link."),
      resend.el,
    ),
    dispose: resend.dispose,
  };
}
