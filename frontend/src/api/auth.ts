/**
 * The single place where credentials join API requests.
 *
 * The auth feature registers two hooks at start: `setTokenGetter(() => accessToken)` adds
 * `Authorization: Bearer …` to every client call, upload and download, and
 * `setUnauthorizedHandler(() => refresh())` is asked once when a request answers 401: when
 * it renews the access token, the request is sent again with the new one. The endpoints
 * that *are* the sign-in (login, setup, register, refresh) are never retried: their 401
 * is the answer (a wrong password), not an expired token.
 */
export type TokenGetter = () => string | null | undefined | Promise<string | null | undefined>;
/** Try to get a fresh access token; true when requests may be retried with it. */
export type UnauthorizedHandler = () => Promise<boolean>;

let tokenGetter: TokenGetter = () => null;
const renewalListeners = new Set<(token: string) => void>();
let unauthorizedHandler: UnauthorizedHandler | null = null;

export function setTokenGetter(getter: TokenGetter): void {
  tokenGetter = getter;
}

export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

/** The session tells here each new access token (sign-in and every refresh). */
export function announceToken(token: string): void {
  for (const listener of renewalListeners) listener(token);
}

/** Hear of each new access token (an open WebSocket passes it on); returns the unsubscribe. */
export function onTokenRenewed(listener: (token: string) => void): () => void {
  renewalListeners.add(listener);
  return () => renewalListeners.delete(listener);
}

export async function authHeaders(): Promise<Record<string, string>> {
  const token = await tokenGetter();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** The current access token (what `authHeaders` sends), for what cannot send headers. */
export async function currentToken(): Promise<string | null> {
  return (await tokenGetter()) ?? null;
}

/** Ask for a fresh access token after the server refused one; true when there is one. */
export function refreshAfterUnauthorized(): Promise<boolean> {
  return unauthorizedHandler ? unauthorizedHandler() : Promise.resolve(false);
}

const SIGN_IN_PATHS = /\/api\/v1\/auth\/(?:login|setup|register|refresh)$/;

function isSignInRequest(url: string): boolean {
  try {
    return SIGN_IN_PATHS.test(new URL(url, window.location.href).pathname);
  } catch {
    return false;
  }
}

async function send(request: Request): Promise<Response> {
  for (const [name, value] of Object.entries(await authHeaders())) request.headers.set(name, value);
  // Look `fetch` up at call time, so tests can stub it.
  return globalThis.fetch(request);
}

/** fetch with credentials, and on a 401 one refresh and one retry. */
export async function authFetch(request: Request): Promise<Response> {
  const retry = isSignInRequest(request.url) ? null : request.clone();
  const response = await send(request);
  if (response.status !== 401 || retry === null || unauthorizedHandler === null) return response;
  if (!(await unauthorizedHandler())) return response;
  return send(retry);
}
