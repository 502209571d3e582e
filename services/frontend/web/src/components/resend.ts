// "Resend link" control used on /check-email and on /verify after a failed link. With a
// known email it is one button; otherwise it asks for the address. A 429 shows the wait
// and counts it down on the button.
// Example: resendControl({ email: 'a@example.com' }).el

import { api } from '../api';
import { h, replaceChildren, spinner } from '../dom';
import { ApiError, formatWait } from '../errors';
import { validateEmail } from '../validate';
import { applyChecks, banner, field, showRequestError } from './form';

export interface ResendOptions {
  email?: string; // when known, no field is shown
  label?: string;
  primary?: boolean;
}

export interface ResendControl {
  el: HTMLElement;
  dispose(): void;
}

export function resendControl(opts: ResendOptions): ResendControl {
  const label = opts.label ?? 'Resend link';
  const emailField = opts.email
    ? null
    : field({ name: 'email', label: 'Email', type: 'email', autocomplete: 'email', maxlength: 254 });
  const button = h(
    'button',
    {
      type: 'submit',
      class: `btn ${opts.primary ? 'btn-primary' : 'btn-secondary'} btn-block`,
      'data-testid': 'resend',
    },
    label,
  );
  const note = banner();
  let timer: ReturnType<typeof setInterval> | null = null;

  const idle = (): void => {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    replaceChildren(button, label);
  };
  const countdown = (seconds: number): void => {
    let left = seconds;
    button.disabled = true;
    const tick = (): void => {
      if (left <= 0) {
        if (timer) clearInterval(timer);
        timer = null;
        idle();
        return;
      }
      replaceChildren(button, `${label} in ${left}s`);
      left -= 1;
    };
    tick();
    timer = setInterval(tick, 1000);
  };

  const form = h('form', { class: 'stack', novalidate: true }, note.el, emailField?.el, button);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (button.disabled) return;
    if (emailField && !applyChecks([[emailField, validateEmail(emailField.value())]])) return;
    const email = opts.email ?? emailField?.value().trim() ?? '';
    note.hide();
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    replaceChildren(button, spinner(), 'Sending…');
    api.resend(email).then(
      () => {
        note.show('success', `If ${email} still needs confirming, a new link is on its way. Check your inbox.`);
        countdown(30); // a gentle pause; the server enforces the real limit
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.code === 'rate_limited') {
          const wait = err.retryAfterS ?? 60;
          note.show('warning', `You asked for a link very recently. You can ask again in ${formatWait(wait)}.`);
          countdown(wait);
          return;
        }
        idle();
        showRequestError(err, emailField ? [emailField] : [], note);
      },
    );
  });

  return {
    el: form,
    dispose: () => {
      if (timer) clearInterval(timer);
    },
  };
}
