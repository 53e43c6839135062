import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, unwrap } from './client';
import { announceToken, onTokenRenewed, setTokenGetter, setUnauthorizedHandler } from './auth';
import { ApiError } from './errors';

afterEach(() => {
  setTokenGetter(() => null);
  setUnauthorizedHandler(null);
});

function stubFetch(statuses: number[], headers: Record<string, string> = {}) {
  const seen: { path: string; auth: string | null }[] = [];
  const fetch = vi.fn((request: Request) => {
    seen.push({ path: new URL(request.url).pathname, auth: request.headers.get('authorization') });
    const status = statuses.shift() ?? 200;
    return Promise.resolve(
      new Response(JSON.stringify(status === 200 ? { id: 'x' } : { detail: `status ${status}` }), {
        status,
        headers: { 'content-type': 'application/json', ...headers },
      }),
    );
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, seen };
}

describe('authFetch', () => {
  it('on a 401 refreshes once and retries with the new token', async () => {
    let token = 'old';
    setTokenGetter(() => token);
    const refresh = vi.fn(() => {
      token = 'new';
      return Promise.resolve(true);
    });
    setUnauthorizedHandler(refresh);
    const { seen } = stubFetch([401, 200]);
    await expect(unwrap(api.GET('/api/v1/auth/me'))).resolves.toEqual({ id: 'x' });
    expect(refresh).toHaveBeenCalledOnce();
    expect(seen.map((s) => s.auth)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('gives up after one retry, and when the refresh fails', async () => {
    setTokenGetter(() => 't');
    const refresh = vi.fn(() => Promise.resolve(true));
    setUnauthorizedHandler(refresh);
    stubFetch([401, 401]);
    await expect(unwrap(api.GET('/api/v1/auth/me'))).rejects.toMatchObject({ status: 401 });
    expect(refresh).toHaveBeenCalledOnce();

    refresh.mockResolvedValueOnce(false);
    const { seen } = stubFetch([401]);
    await expect(unwrap(api.GET('/api/v1/auth/me'))).rejects.toBeInstanceOf(ApiError);
    expect(seen).toHaveLength(1);
  });

  it('never retries the sign-in endpoints: their 401 is the answer', async () => {
    const refresh = vi.fn(() => Promise.resolve(true));
    setUnauthorizedHandler(refresh);
    stubFetch([401]);
    await expect(
      unwrap(api.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'wrong' } })),
    ).rejects.toMatchObject({ status: 401 });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('keeps the Retry-After of a 429', async () => {
    stubFetch([429], { 'retry-after': '42' });
    const error: unknown = await unwrap(api.POST('/api/v1/auth/login', { body: { email: 'a', password: 'b' } })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ status: 429, retryAfterS: 42 });
  });
});

describe('token renewals', () => {
  it('tells every listener each new access token until it unsubscribes', () => {
    const heard: string[] = [];
    const stop = onTokenRenewed((token) => heard.push(token));
    announceToken('access-2');
    stop();
    announceToken('access-3');
    expect(heard).toEqual(['access-2']);
  });
});
