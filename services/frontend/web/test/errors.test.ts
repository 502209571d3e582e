import { describe, expect, it } from 'vitest';
import { ApiError, bannerKind, bannerText, describeError, networkError, parseErrorResponse } from '../src/errors';

describe('parseErrorResponse', () => {
  it('reads the API error shape', () => {
    const e = parseErrorResponse(
      422,
      '{"error":{"code":"invalid","message":"Email is not valid.","field":"email"}}',
      null,
    );
    expect([e.status, e.code, e.message, e.field]).toEqual([422, 'invalid', 'Email is not valid.', 'email']);
  });

  it('takes retry_after_s from the body, else from Retry-After', () => {
    expect(
      parseErrorResponse(429, '{"error":{"code":"rate_limited","message":"slow down","retry_after_s":42}}', '99')
        .retryAfterS,
    ).toBe(42);
    expect(parseErrorResponse(429, '{"error":{"code":"rate_limited","message":"slow down"}}', '17').retryAfterS).toBe(
      17,
    );
    expect(
      parseErrorResponse(429, '{"error":{"code":"rate_limited","message":"x","retry_after_s":1.2}}', null).retryAfterS,
    ).toBe(2);
  });

  it.each([
    [503, '<html>Bad Gateway</html>', 'unavailable'],
    [401, '', 'unauthenticated'],
    [410, 'null', 'gone'],
    [500, '{"error":"boom"}', 'internal'],
    [418, '', 'malformed'],
  ])('falls back to the status for %d with body %j', (status, body, code) => {
    const e = parseErrorResponse(status, body, null);
    expect(e.code).toBe(code);
    expect(e.message).toContain(String(status));
  });
});

describe('describeError', () => {
  const fields = ['email', 'password'];
  it('puts an error with a known field beside that field', () => {
    const e = new ApiError(422, 'invalid', 'Password must be at least 8 characters.', 'password');
    expect(describeError(e, fields)).toEqual({
      fields: { password: 'Password must be at least 8 characters.' },
      banner: null,
    });
  });
  it('sends an unknown field to the banner', () => {
    const e = new ApiError(422, 'invalid', 'Bad token.', 'token');
    expect(describeError(e, fields)).toEqual({ fields: {}, banner: 'Bad token.' });
  });
  it.each([
    [new ApiError(429, 'rate_limited', 'x', undefined, 30), 'Too many attempts. Try again in 30 seconds.', 'warning'],
    [new ApiError(429, 'rate_limited', 'x', undefined, 600), 'Too many attempts. Try again in 10 minutes.', 'warning'],
    [new ApiError(429, 'rate_limited', 'x'), 'Too many attempts. Wait a moment and try again.', 'warning'],
    [
      new ApiError(503, 'unavailable', 'users down'),
      'made0 is temporarily unavailable. Please try again in a moment.',
      'warning',
    ],
    [networkError('TypeError: Failed to fetch'), "Can't reach made0. Check your connection and try again.", 'warning'],
    [new ApiError(500, 'internal', 'stack trace'), 'Something went wrong on our side. Please try again.', 'error'],
    [new ApiError(409, 'conflict', 'Already used.'), 'Already used.', 'error'],
    [new Error('bug'), 'Something went wrong in the console. Reload the page and try again.', 'error'],
  ])('banner for %o', (err, text, kind) => {
    expect(bannerText(err)).toBe(text);
    expect(describeError(err, fields).banner).toBe(text);
    expect(bannerKind(err)).toBe(kind);
  });
});
