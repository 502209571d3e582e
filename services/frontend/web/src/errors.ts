// API errors as values, and how the UI words them: which form field a server error belongs
// to, and the banner text for rate limits, outages and network failures.
// Example: describeError(err, ['email', 'password']) -> { fields: { email: '...' }, banner: null }

export type ErrorCode =
  | 'malformed'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_large'
  | 'invalid'
  | 'rate_limited'
  | 'internal'
  | 'unavailable'
  | 'network';

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0 when the request never got an HTTP answer
    readonly code: ErrorCode | string,
    message: string,
    readonly field?: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; field?: unknown; retry_after_s?: unknown };
}

const kCodeForStatus: Record<number, ErrorCode> = {
  400: 'malformed',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  413: 'too_large',
  422: 'invalid',
  429: 'rate_limited',
  500: 'internal',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
};

// Builds an ApiError from a non-2xx answer. Tolerates bodies that are not our JSON shape
// (a proxy's HTML error page, an empty body) by falling back to the status.
export function parseErrorResponse(status: number, bodyText: string, retryAfterHeader: string | null): ApiError {
  let body: ErrorBody = {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === 'object') body = parsed as ErrorBody;
  } catch {
    // Not JSON: keep the defaults below.
  }
  const e = body.error ?? {};
  const code =
    typeof e.code === 'string' ? e.code : (kCodeForStatus[status] ?? (status >= 500 ? 'internal' : 'malformed'));
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : `Request failed (HTTP ${status}).`;
  const field = typeof e.field === 'string' && e.field !== '' ? e.field : undefined;
  let retry: number | undefined;
  if (typeof e.retry_after_s === 'number' && Number.isFinite(e.retry_after_s)) retry = e.retry_after_s;
  else if (retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader.trim())) retry = Number(retryAfterHeader.trim());
  return new ApiError(status, code, message, field, retry === undefined ? undefined : Math.max(0, Math.ceil(retry)));
}

export function networkError(detail: string): ApiError {
  return new ApiError(0, 'network', detail);
}

export function formatWait(seconds: number): string {
  if (seconds < 100) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const m = Math.ceil(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

// The banner sentence for an error that does not belong to a field.
export function bannerText(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Something went wrong in the console. Reload the page and try again.';
  switch (err.code) {
    case 'network':
      return "Can't reach made0. Check your connection and try again.";
    case 'rate_limited':
      return err.retryAfterS !== undefined
        ? `Too many attempts. Try again in ${formatWait(err.retryAfterS)}.`
        : 'Too many attempts. Wait a moment and try again.';
    case 'unavailable':
      return 'made0 is temporarily unavailable. Please try again in a moment.';
    case 'internal':
      return 'Something went wrong on our side. Please try again.';
    case 'permission_denied':
      return err.message || 'This request was refused. Reload the page and try again.';
    default:
      return err.message;
  }
}

export interface DescribedError {
  fields: Record<string, string>;
  banner: string | null;
}

// Splits an error between the form's fields and the banner: an error whose `field` is one
// of `formFields` is shown beside that field; anything else goes to the banner.
export function describeError(err: unknown, formFields: readonly string[]): DescribedError {
  if (err instanceof ApiError && err.field !== undefined && formFields.includes(err.field)) {
    return { fields: { [err.field]: err.message }, banner: null };
  }
  return { fields: {}, banner: bannerText(err) };
}

// Banner severity: rate limits and outages are transient (warning), the rest are errors.
export function bannerKind(err: unknown): 'warning' | 'error' {
  return err instanceof ApiError &&
    (err.code === 'rate_limited' || err.code === 'unavailable' || err.code === 'network')
    ? 'warning'
    : 'error';
}
