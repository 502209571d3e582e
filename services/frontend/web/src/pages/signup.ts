// /signup: email, password and confirmation. A 202 (also sent for an existing address, by
// design) leads to /check-email.

import { api } from '../api';
import { h } from '../dom';
import { applyChecks, banner, field, showRequestError, submitButton } from '../components/form';
import { authCard } from '../components/layout';
import { navigate, type Page, type PageContext } from '../router';
import { kEmailMaxLength, kPasswordMaxLength, validateConfirm, validateEmail, validatePassword } from '../validate';

export function signupPage(ctx: PageContext): Page {
  const email = field({
    name: 'email',
    label: 'Email',
    type: 'email',
    autocomplete: 'email',
    autofocus: true,
    value: ctx.query.get('email') ?? '',
    maxlength: kEmailMaxLength + 1,
  });
  const password = field({
    name: 'password',
    label: 'Password',
    type: 'password',
    autocomplete: 'new-password',
    hint: 'At least 8 characters.',
    maxlength: kPasswordMaxLength + 1,
  });
  const confirm = field({
    name: 'confirm',
    label: 'Confirm password',
    type: 'password',
    autocomplete: 'new-password',
    maxlength: kPasswordMaxLength + 1,
  });
  const submit = submitButton('Create account', 'Creating account…');
  const note = banner();
  let alive = true;

  const form = h(
    'form',
    { class: 'stack', novalidate: true, 'data-testid': 'signup-form' },
    note.el,
    email.el,
    password.el,
    confirm.el,
    submit.el,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    note.hide();
    const ok = applyChecks([
      [email, validateEmail(email.value())],
      [password, validatePassword(password.value())],
      [confirm, validateConfirm(password.value(), confirm.value())],
    ]);
    if (!ok) return;
    submit.setBusy(true);
    const address = email.value().trim();
    api.signup(address, password.value()).then(
      (r) => {
        if (alive) navigate(`/check-email?email=${encodeURIComponent(r?.email ?? address)}`);
      },
      (err: unknown) => {
        if (!alive) return;
        submit.setBusy(false);
        showRequestError(err, [email, password], note);
      },
    );
  });

  return {
    title: 'Sign up',
    el: authCard(
      {
        title: 'Create your account',
        subtitle: 'Run etcd clusters and watch your services from one console.',
        testid: 'page-signup',
        footer: ['Already have an account? ', h('a', { href: '/login' }, 'Log in')],
      },
      form,
    ),
    dispose: () => {
      alive = false;
    },
  };
}
