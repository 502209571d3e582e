// /login: email and password. A verified user goes home (or to ?next=), an unverified one
// to /check-email.

import { api } from '../api';
import { h } from '../dom';
import { ApiError } from '../errors';
import { applyChecks, banner, field, showRequestError, submitButton } from '../components/form';
import { authCard } from '../components/layout';
import { navigate, safeNext, type Page, type PageContext } from '../router';
import { session } from '../session';
import { kEmailMaxLength, kPasswordMaxLength, validateEmail, validateLoginPassword } from '../validate';

export function loginPage(ctx: PageContext): Page {
  const email = field({
    name: 'email',
    label: 'Email',
    type: 'email',
    autocomplete: 'username',
    autofocus: true,
    value: ctx.query.get('email') ?? '',
    maxlength: kEmailMaxLength + 1,
  });
  const password = field({
    name: 'password',
    label: 'Password',
    type: 'password',
    autocomplete: 'current-password',
    maxlength: kPasswordMaxLength + 1,
  });
  const submit = submitButton('Log in', 'Logging in…');
  const note = banner();
  let alive = true;
  if (ctx.query.get('verified') === '1') note.show('success', 'Your email is confirmed. Log in to continue.');

  const form = h(
    'form',
    { class: 'stack', novalidate: true, 'data-testid': 'login-form' },
    note.el,
    email.el,
    password.el,
    submit.el,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    note.hide();
    const ok = applyChecks([
      [email, validateEmail(email.value())],
      [password, validateLoginPassword(password.value())],
    ]);
    if (!ok) return;
    submit.setBusy(true);
    api.login(email.value().trim(), password.value()).then(
      ({ user }) => {
        if (!alive) return;
        session.set(user);
        if (user.verified) navigate(safeNext(ctx.query.get('next')));
        else navigate(`/check-email?email=${encodeURIComponent(user.email)}`);
      },
      (err: unknown) => {
        if (!alive) return;
        submit.setBusy(false);
        if (err instanceof ApiError && err.status === 401 && err.field === undefined) {
          note.show('error', 'Incorrect email or password.');
          password.input.select();
          password.input.focus();
          return;
        }
        showRequestError(err, [email, password], note);
      },
    );
  });

  return {
    title: 'Log in',
    el: authCard(
      {
        title: 'Log in to made0',
        subtitle: 'Welcome back.',
        testid: 'page-login',
        footer: ['New to made0? ', h('a', { href: '/signup' }, 'Create an account')],
      },
      form,
    ),
    dispose: () => {
      alive = false;
    },
  };
}
