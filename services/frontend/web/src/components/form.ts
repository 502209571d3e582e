// Form building blocks shared by the auth pages: a labelled field with its error line, a
// submit button that shows a spinner while busy, and a banner for errors without a field.
// Example: const email = field({ name: 'email', label: 'Email', type: 'email' }); email.setError('...');

import { h, replaceChildren, spinner } from '../dom';
import { bannerKind, describeError } from '../errors';

export interface FieldOptions {
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
  value?: string;
  hint?: string;
  autofocus?: boolean;
  maxlength?: number;
}

export interface Field {
  el: HTMLElement;
  input: HTMLInputElement;
  name: string;
  value(): string;
  setError(message: string | null): void;
}

export function field(opts: FieldOptions): Field {
  const id = `f-${opts.name}`;
  const input = h('input', {
    id,
    name: opts.name,
    type: opts.type ?? 'text',
    autocomplete: opts.autocomplete,
    autofocus: opts.autofocus,
    maxlength: opts.maxlength,
    spellcheck: 'false',
    'aria-describedby': `${id}-error${opts.hint ? ` ${id}-hint` : ''}`,
  });
  input.value = opts.value ?? '';
  const error = h('p', {
    class: 'field-error',
    id: `${id}-error`,
    'data-field-error': opts.name,
    'aria-live': 'polite',
  });
  const el = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, opts.label),
    input,
    opts.hint ? h('p', { class: 'field-hint', id: `${id}-hint` }, opts.hint) : null,
    error,
  );
  const setError = (message: string | null): void => {
    error.textContent = message ?? '';
    el.classList.toggle('has-error', !!message);
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  // Typing clears the field's error; the next submit checks again.
  input.addEventListener('input', () => setError(null));
  return { el, input, name: opts.name, value: () => input.value, setError };
}

export interface SubmitButton {
  el: HTMLButtonElement;
  setBusy(busy: boolean): void;
}

export function submitButton(label: string, busyLabel: string, cls = 'btn btn-primary btn-block'): SubmitButton {
  const el = h('button', { type: 'submit', class: cls }, label);
  return {
    el,
    setBusy(busy: boolean) {
      el.disabled = busy;
      el.setAttribute('aria-busy', String(busy));
      if (busy) replaceChildren(el, spinner(), busyLabel);
      else replaceChildren(el, label);
    },
  };
}

export interface Banner {
  el: HTMLElement;
  show(kind: 'error' | 'warning' | 'success' | 'info', message: string): void;
  hide(): void;
}

export function banner(): Banner {
  const el = h('div', { class: 'banner', role: 'alert', hidden: true });
  return {
    el,
    show(kind, message) {
      el.className = `banner banner-${kind}`;
      el.textContent = message;
      el.hidden = false;
    },
    hide() {
      el.hidden = true;
      el.textContent = '';
    },
  };
}

// Runs `checks` (field -> message or null); shows the messages and focuses the first bad field.
export function applyChecks(checks: [Field, string | null][]): boolean {
  let first: Field | null = null;
  for (const [f, message] of checks) {
    f.setError(message);
    if (message && !first) first = f;
  }
  first?.input.focus();
  return first === null;
}

// Shows a failed request's error beside its field when the server named one, else in the banner.
export function showRequestError(err: unknown, fields: Field[], b: Banner): void {
  const described = describeError(
    err,
    fields.map((f) => f.name),
  );
  for (const f of fields) {
    const message = described.fields[f.name];
    if (message) {
      f.setError(message);
      f.input.focus();
    }
  }
  if (described.banner) b.show(bannerKind(err), described.banner);
  else b.hide();
}
