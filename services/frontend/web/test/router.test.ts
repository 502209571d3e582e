import { describe, expect, it } from 'vitest';
import { matchRoute, safeNext, type Route } from '../src/router';
import { readCookie } from '../src/api';
import { verifyFailure } from '../src/pages/verify';
import { ApiError } from '../src/errors';

const page = () => ({ title: '', el: null as unknown as HTMLElement });
const routes: Route[] = [
  { path: '/', access: 'verified', page },
  { path: '/traces/:id', access: 'verified', page },
  { path: '/login', access: 'guest', page },
];

describe('matchRoute', () => {
  it.each([
    ['/', '/', {}],
    ['/login', '/login', {}],
    ['/login/', '/login', {}],
    ['/traces/abc123', '/traces/:id', { id: 'abc123' }],
    ['/traces/a%2Fb', '/traces/:id', { id: 'a/b' }],
  ])('%s -> %s', (path, want, params) => {
    const m = matchRoute(routes, path);
    expect(m?.route.path).toBe(want);
    expect(m?.params).toEqual(params);
  });
  it.each(['/nope', '/traces', '/traces/a/b', '/traces/%E0%A4%A'])('no match for %s', (path) => {
    expect(matchRoute(routes, path)).toBeNull();
  });
});

describe('safeNext', () => {
  it.each([
    [null, '/'],
    ['/traces/x', '/traces/x'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
  ])('%j -> %s', (next, want) => expect(safeNext(next)).toBe(want));
});

describe('readCookie', () => {
  it('finds the CSRF cookie among others', () => {
    expect(readCookie('made0_csrf', 'a=1; made0_csrf=tok%3D; b=2')).toBe('tok=');
    expect(readCookie('made0_csrf', 'xmade0_csrf=1')).toBeNull();
    expect(readCookie('made0_csrf', '')).toBeNull();
  });
});

describe('verifyFailure', () => {
  it.each([
    [410, 'gone', 'This link has expired', false],
    [409, 'conflict', 'This link was already used', true],
    [404, 'not_found', 'This link is not valid', false],
    [422, 'invalid', 'This link is not valid', false],
    [503, 'unavailable', "We couldn't confirm your email", false],
  ])('%d %s', (status, code, title, login) => {
    const f = verifyFailure(new ApiError(status, code, 'x'));
    expect(f.title).toBe(title);
    expect(f.showLogin).toBe(login);
  });
});
