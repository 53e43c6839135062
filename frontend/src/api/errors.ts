/** Errors from the API as sentences a person can read. */

export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  /** Seconds to wait before trying again (a 429's `Retry-After`), when the server said. */
  readonly retryAfterS: number | null;

  constructor(status: number, detail: string, retryAfterS: number | null = null) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.retryAfterS = retryAfterS;
  }
}

export class NetworkError extends Error {
  constructor(message = 'Cannot reach the server. Check that it is running and your connection, then try again.') {
    super(message);
    this.name = 'NetworkError';
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'The request was not valid.',
  401: 'Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with the current state; refresh and try again.',
  413: 'The file is too large.',
  415: 'That file type is not supported.',
  422: 'Some values were not valid.',
  429: 'Too many requests; wait a moment and try again.',
  500: 'Something went wrong on the server.',
  502: 'The server is not reachable right now.',
  503: 'The server is busy or starting; try again shortly.',
};

/** The `detail` of an error body: `{"detail": "..."}` or FastAPI's `{"detail": [{msg}]}`. */
export function detailFromBody(body: unknown, status: number): string {
  if (body && typeof body === 'object' && 'detail' in body) {
    const { detail } = body;
    if (typeof detail === 'string' && detail.trim() !== '') return detail;
    if (Array.isArray(detail)) {
      const messages = detail
        .map((item: unknown) => (item && typeof item === 'object' && 'msg' in item ? String(item.msg) : ''))
        .filter(Boolean);
      if (messages.length > 0) return messages.join('; ');
    }
  }
  return STATUS_TEXT[status] ?? `The server answered with status ${status}.`;
}

/** `Retry-After` in whole seconds (the server sends seconds; an HTTP date is read too). */
export function retryAfterSeconds(response: Pick<Response, 'headers'>): number | null {
  const raw = response.headers.get('retry-after')?.trim();
  if (!raw) return null;
  if (/^\d+$/.test(raw)) return Number(raw);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Parse a response body (JSON or text) into an ApiError. */
export function apiErrorFromText(status: number, text: string, retryAfterS: number | null = null): ApiError {
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return new ApiError(status, detailFromBody(body, status), retryAfterS);
}

/** Anything thrown → one readable sentence. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  if (error instanceof TypeError) return new NetworkError().message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something unexpected went wrong.';
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
