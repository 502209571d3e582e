import { describe, expect, it } from 'vitest';
import { validateConfirm, validateEmail, validateLoginPassword, validatePassword } from '../src/validate';

describe('validateEmail', () => {
  it.each(['a@example.com', 'e2e-abc123@example.test', 'first.last+tag@sub.domain.org', '  padded@example.com  '])(
    'accepts %j',
    (e) => {
      expect(validateEmail(e)).toBeNull();
    },
  );
  it.each([
    ['', 'Enter your email address.'],
    ['not-an-email', 'Enter a valid email address, like name@example.com.'],
    ['a@b', 'Enter a valid email address, like name@example.com.'],
    ['a b@example.com', 'Enter a valid email address, like name@example.com.'],
    ['a@@example.com', 'Enter a valid email address, like name@example.com.'],
    ['a@-example.com', 'Enter a valid email address, like name@example.com.'],
    [`${'a'.repeat(64)}@${'b'.repeat(186)}.com`, 'Email must be at most 254 characters.'],
  ])('rejects %j', (e, msg) => {
    expect(validateEmail(e)).toBe(msg);
  });
  it('accepts exactly 254 characters', () => {
    const e = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(e.length).toBe(254);
    expect(validateEmail(e)).toBeNull();
  });
});

describe('validatePassword', () => {
  it.each([
    ['', 'Enter a password.'],
    ['1234567', 'Password must be at least 8 characters.'],
    ['12345678', null],
    ['x'.repeat(128), null],
    ['x'.repeat(129), 'Password must be at most 128 characters.'],
    ['ééééééé', 'Password must be at least 8 characters.'],
    ['😀😀😀😀😀😀😀😀', null], // counted as characters, not UTF-16 units
  ])('%j -> %j', (p, want) => expect(validatePassword(p)).toBe(want));

  it('login only checks presence and the maximum', () => {
    expect(validateLoginPassword('short')).toBeNull();
    expect(validateLoginPassword('')).toBe('Enter your password.');
    expect(validateLoginPassword('x'.repeat(129))).toBe('Password must be at most 128 characters.');
  });

  it('confirmation must match', () => {
    expect(validateConfirm('abcdefgh', 'abcdefgh')).toBeNull();
    expect(validateConfirm('abcdefgh', 'abcdefgX')).toBe("Passwords don't match.");
    expect(validateConfirm('abcdefgh', '')).toBe('Repeat your password.');
  });
});
