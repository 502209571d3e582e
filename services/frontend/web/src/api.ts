// Client for the frontend service's /api: JSON in and out, errors thrown as ApiError, and
// the double-submit CSRF token (cookie made0_csrf echoed in X-CSRF-Token) on every write.
// Example: const { user } = await api.login(email, password);

import { ApiError, networkError, parseErrorResponse } from './errors';

export interface User {
  id: string;
  email: string;
  verified: boolean;
  created_at: string;
}

export interface ServiceInstance {
  service: string;
  id: string;
  address: string;
  port: number;
  started_at: string;
  version?: string;
}

export interface TraceSummary {
  trace_id: string;
  name: string;
  service: string;
  start: string;
  duration_us: number;
  span_count: number;
  services: string[];
  error: boolean;
}

export interface Span {
  span_id: string;
  parent_span_id?: string | null;
  name: string;
  service: string;
  instance?: string;
  kind?: string;
  start: string;
  duration_us: number;
  error: boolean;
  attributes?: Record<string, unknown>;
}

export interface TraceDetail {
  trace_id: string;
  spans: Span[];
}

const kCsrfCookie = 'made0_csrf';
const kCsrfHeader = 'X-CSRF-Token';
const kTimeoutMs = 15_000;

export function readCookie(name: string, cookieString: string = document.cookie): string | null {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return null;
}

let csrfFallback: string | null = null; // if the cookie cannot be read back (should not happen)

async function fetchCsrfToken(): Promise<string> {
  const body = await send<{ csrf_token: string }>('GET', '/api/csrf', undefined, null);
  csrfFallback = body.csrf_token;
  return readCookie(kCsrfCookie) ?? body.csrf_token;
}

async function csrfToken(): Promise<string> {
  return readCookie(kCsrfCookie) ?? csrfFallback ?? (await fetchCsrfToken());
}

async function send<T>(method: string, path: string, body: unknown, csrf: string | null): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrf !== null) headers[kCsrfHeader] = csrf;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), kTimeoutMs);
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    });
  } catch (e) {
    throw networkError(controller.signal.aborted ? 'The request timed out.' : String(e));
  } finally {
    clearTimeout(timer);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw parseErrorResponse(res.status, text, res.headers.get('Retry-After'));
  if (res.status === 204 || text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, 'internal', 'The server sent an answer the console could not read.');
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (method === 'GET' || method === 'HEAD') return send<T>(method, path, body, null);
  try {
    return await send<T>(method, path, body, await csrfToken());
  } catch (e) {
    // A stale or rotated token: get a fresh one and try once more.
    if (e instanceof ApiError && e.status === 403 && e.code === 'permission_denied') {
      csrfFallback = null;
      return send<T>(method, path, body, await fetchCsrfToken());
    }
    throw e;
  }
}

export const api = {
  signup: (email: string, password: string) =>
    request<{ email: string; status: string }>('POST', '/api/signup', { email, password }),
  login: (email: string, password: string) => request<{ user: User }>('POST', '/api/login', { email, password }),
  logout: () => request<void>('POST', '/api/logout'),
  me: () => request<{ user: User }>('GET', '/api/me'),
  verify: (token: string) => request<{ email: string; verified: boolean }>('POST', '/api/verify', { token }),
  resend: (email: string) => request<{ status: string }>('POST', '/api/verify/resend', { email }),
  services: () => request<{ instances: ServiceInstance[] }>('GET', '/api/services'),
  traces: (limit: number) => request<{ traces: TraceSummary[] }>('GET', `/api/traces?limit=${limit}`),
  trace: (id: string) => request<TraceDetail>('GET', `/api/traces/${encodeURIComponent(id)}`),
};
