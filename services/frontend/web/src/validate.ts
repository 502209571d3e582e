// Client-side form checks that mirror the users service's rules, so a person sees the
// problem before the request is sent. The server stays the authority; its 422 errors are
// mapped to the same fields (see errors.ts).
// Example: validateEmail('a@b') === 'Enter a valid email address, like name@example.com.'

export const kEmailMaxLength = 254;
export const kPasswordMinLength = 8;
export const kPasswordMaxLength = 128;

// One '@', a non-empty local part without spaces, and a dotted domain of letters, digits
// and hyphens. Deliberately simpler than RFC 5322: the link we mail is the real check.
const kEmailPattern =
  /^[^\s@]{1,64}@(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$/;

// Length in Unicode code points, as a person counts characters.
export function charCount(s: string): number {
  return [...s].length;
}

export function validateEmail(raw: string): string | null {
  const email = raw.trim();
  if (email === '') return 'Enter your email address.';
  if (charCount(email) > kEmailMaxLength) return `Email must be at most ${kEmailMaxLength} characters.`;
  if (!kEmailPattern.test(email)) return 'Enter a valid email address, like name@example.com.';
  return null;
}

export function validatePassword(password: string): string | null {
  if (password === '') return 'Enter a password.';
  const n = charCount(password);
  if (n < kPasswordMinLength) return `Password must be at least ${kPasswordMinLength} characters.`;
  if (n > kPasswordMaxLength) return `Password must be at most ${kPasswordMaxLength} characters.`;
  return null;
}

// Login only checks presence and the upper bound: an old account may predate a rule change.
export function validateLoginPassword(password: string): string | null {
  if (password === '') return 'Enter your password.';
  if (charCount(password) > kPasswordMaxLength) return `Password must be at most ${kPasswordMaxLength} characters.`;
  return null;
}

export function validateConfirm(password: string, confirm: string): string | null {
  if (confirm === '') return 'Repeat your password.';
  if (confirm !== password) return "Passwords don't match.";
  return null;
}
