import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError } from '@/api';
import { REFRESH_KEY, Session, refreshDelayMs, type Tokens } from './session';

function tokens(n: number, expiresIn = 900): Tokens {
  return { access_token: `access-${n}`, refresh_token: `refresh-${n}`, expires_in: expiresIn };
}

function makeSession(refresh = vi.fn<(token: string) => Promise<Tokens>>()) {
  const logout = vi.fn(() => Promise.resolve());
  const session = new Session({ refresh, logout, storage: window.localStorage, withLock: (task) => task() });
  return { session, refresh, logout };
}

describe('refreshDelayMs', () => {
  it('renews a minute early for long tokens and a fifth early for short ones', () => {
    expect(refreshDelayMs(900)).toBe(840_000);
    expect(refreshDelayMs(60)).toBe(48_000);
    expect(refreshDelayMs(0)).toBe(1_000);
  });
});

describe('Session', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts signed out without a stored refresh token, asking nothing', async () => {
    const { session, refresh } = makeSession();
    await session.start();
    expect(session.getState()).toEqual({ status: 'signed-out', reason: null });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('resumes from the stored refresh token and stores the rotated one', async () => {
    window.localStorage.setItem(REFRESH_KEY, 'refresh-0');
    const { session, refresh } = makeSession(vi.fn(() => Promise.resolve(tokens(1))));
    await session.start();
    expect(refresh).toHaveBeenCalledWith('refresh-0');
    expect(session.getState().status).toBe('signed-in');
    expect(session.accessToken()).toBe('access-1');
    expect(window.localStorage.getItem(REFRESH_KEY)).toBe('refresh-1');
  });

  it('keeps the access token in memory only', () => {
    const { session } = makeSession();
    session.signIn(tokens(1));
    expect(Object.values(Object.fromEntries(Object.entries(window.localStorage)))).not.toContain('access-1');
    expect(window.localStorage.getItem(REFRESH_KEY)).toBe('refresh-1');
  });

  it('renews the access token shortly before it expires, again and again', async () => {
    let n = 1;
    const { session, refresh } = makeSession(vi.fn(() => Promise.resolve(tokens(++n, 900))));
    session.signIn(tokens(1, 900));
    await vi.advanceTimersByTimeAsync(839_000);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refresh).toHaveBeenCalledWith('refresh-1');
    expect(session.accessToken()).toBe('access-2');
    await vi.advanceTimersByTimeAsync(840_000);
    expect(refresh).toHaveBeenLastCalledWith('refresh-2');
    expect(session.accessToken()).toBe('access-3');
  });

  it('tells each new access token (the live socket passes it on), not a failed refresh', async () => {
    const onAccessToken = vi.fn<(token: string) => void>();
    let n = 1;
    const refresh = vi
      .fn<(token: string) => Promise<Tokens>>()
      .mockImplementationOnce(() => Promise.resolve(tokens(++n, 900)))
      .mockImplementationOnce(() => Promise.reject(new NetworkError()));
    const session = new Session({
      refresh,
      logout: () => Promise.resolve(),
      storage: window.localStorage,
      withLock: (task) => task(),
      onAccessToken,
    });
    session.signIn(tokens(1, 900));
    expect(onAccessToken.mock.calls).toEqual([['access-1']]);
    await vi.advanceTimersByTimeAsync(840_000);
    expect(onAccessToken.mock.calls).toEqual([['access-1'], ['access-2']]);
    await vi.advanceTimersByTimeAsync(840_000);
    expect(onAccessToken).toHaveBeenCalledTimes(2);
    session.dispose();
  });

  it('shares one refresh among concurrent callers (a refresh token is spent once)', async () => {
    let resolve: (value: Tokens) => void = () => undefined;
    const { session, refresh } = makeSession(vi.fn(() => new Promise<Tokens>((r) => (resolve = r))));
    session.signIn(tokens(1));
    const a = session.refresh();
    const b = session.refresh();
    resolve(tokens(2));
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('ends the session when the server refuses the refresh token', async () => {
    const { session } = makeSession(vi.fn(() => Promise.reject(new ApiError(401, 'This session has ended.'))));
    session.signIn(tokens(1));
    const listener = vi.fn();
    session.subscribe(listener);
    expect(await session.refresh()).toBe(false);
    expect(session.getState()).toEqual({ status: 'signed-out', reason: 'expired' });
    expect(session.accessToken()).toBeNull();
    expect(window.localStorage.getItem(REFRESH_KEY)).toBeNull();
    expect(listener).toHaveBeenCalled();
  });

  it('keeps the session through a network failure and tries again later', async () => {
    const refresh = vi
      .fn<(token: string) => Promise<Tokens>>()
      .mockRejectedValueOnce(new NetworkError())
      .mockResolvedValueOnce(tokens(2));
    const { session } = makeSession(refresh);
    session.signIn(tokens(1));
    expect(await session.refresh()).toBe(false);
    expect(session.getState().status).toBe('signed-in');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(session.accessToken()).toBe('access-2');
  });

  it('uses the token another tab rotated in meanwhile', async () => {
    const refresh = vi.fn((token: string) => {
      if (token === 'refresh-1') {
        window.localStorage.setItem(REFRESH_KEY, 'refresh-9'); // the other tab was faster
        return Promise.reject(new ApiError(401, 'This refresh token was already used.'));
      }
      return Promise.resolve(tokens(10));
    });
    const { session } = makeSession(refresh);
    session.signIn(tokens(1));
    expect(await session.refresh()).toBe(true);
    expect(refresh).toHaveBeenLastCalledWith('refresh-9');
    expect(session.accessToken()).toBe('access-10');
  });

  it('signs out on the server and forgets everything', async () => {
    const { session, logout } = makeSession();
    session.signIn(tokens(1));
    await session.signOut();
    expect(logout).toHaveBeenCalledOnce();
    expect(session.getState()).toEqual({ status: 'signed-out', reason: null });
    expect(session.accessToken()).toBeNull();
    expect(window.localStorage.getItem(REFRESH_KEY)).toBeNull();
  });

  it('still signs out locally when the server cannot be reached', async () => {
    const { session, logout } = makeSession();
    logout.mockRejectedValueOnce(new NetworkError());
    session.signIn(tokens(1));
    await session.signOut();
    expect(session.getState().status).toBe('signed-out');
  });

  it('follows a sign-out in another tab', () => {
    const { session } = makeSession();
    session.signIn(tokens(1));
    window.localStorage.removeItem(REFRESH_KEY);
    session.onStorage(REFRESH_KEY, null);
    expect(session.getState().status).toBe('signed-out');
    expect(session.accessToken()).toBeNull();
  });
});
