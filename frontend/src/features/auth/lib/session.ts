/**
 * The sign-in session, outside React so its timing can be tested on its own.
 *
 * - The access token lives in memory only (never in storage): a reload asks for a new one.
 * - The refresh token lives in localStorage under REFRESH_KEY, shared by every tab. Tokens
 *   rotate on each refresh and a spent one presented again ends the whole session, so two
 *   tabs must never refresh with the same token: each refresh runs under a Web Lock and
 *   reads the *current* token from storage right before it spends it, then writes the new
 *   one at once. A sign-out in one tab (the key disappears) signs out the others.
 * - The access token is renewed shortly before `expires_in` runs out, and on demand when a
 *   request answers 401 (api/auth.ts asks once); when renewing fails, the session ends.
 */
import { ApiError } from '@/api';

export const REFRESH_KEY = 'transcriber.refresh-token';
const LOCK_NAME = 'transcriber.refresh';

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export type SessionStatus = 'starting' | 'signed-in' | 'signed-out';

export interface SessionState {
  status: SessionStatus;
  /** Why the session ended on its own ('expired'), for a line on the sign-in page. */
  reason: 'expired' | 'offline' | null;
}

export interface SessionDeps {
  refresh: (refreshToken: string) => Promise<Tokens>;
  logout: () => Promise<void>;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  now?: () => number;
  /** Told each new access token (the live socket re-authenticates with it). */
  onAccessToken?: (token: string) => void;
  /** Run `task` exclusively across tabs (navigator.locks when there is one). */
  withLock?: <T>(task: () => Promise<T>) => Promise<T>;
}

/** Renew this long before the access token expires (a fifth of its life, at most a minute). */
export function refreshDelayMs(expiresInS: number): number {
  const life = Math.max(0, expiresInS) * 1000;
  const margin = Math.min(60_000, life / 5);
  return Math.max(1_000, life - margin);
}

const RETRY_OFFLINE_MS = 15_000;

async function browserLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator as Partial<Navigator>).locks;
  if (!locks) return task();
  return locks.request(LOCK_NAME, task);
}

function safeStorage(): SessionDeps['storage'] {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export class Session {
  private state: SessionState = { status: 'starting', reason: null };
  private access: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: Promise<boolean> | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly storage: SessionDeps['storage'];
  private readonly withLock: NonNullable<SessionDeps['withLock']>;

  constructor(private readonly deps: SessionDeps) {
    this.storage = deps.storage === undefined ? safeStorage() : deps.storage;
    this.withLock = deps.withLock ?? browserLock;
  }

  // -- for React (useSyncExternalStore) ---------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SessionState => this.state;

  accessToken = (): string | null => this.access;

  // -- life cycle -------------------------------------------------------------------------

  /** At app start: resume with the stored refresh token, or be signed out. */
  async start(): Promise<void> {
    if (this.state.status !== 'starting') return;
    if (!this.readRefresh()) {
      this.setState({ status: 'signed-out', reason: null });
      return;
    }
    await this.refresh();
  }

  /** After login, setup or registration: keep the new tokens. */
  signIn(tokens: Tokens): void {
    this.writeRefresh(tokens.refresh_token);
    this.apply(tokens);
  }

  /**
   * Renew the access token. Concurrent callers share one request; returns whether a new
   * token is there. A refused refresh (401) ends the session; a network failure keeps it
   * and tries again a little later.
   */
  refresh(): Promise<boolean> {
    this.inflight ??= this.withLock(() => this.refreshNow()).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Sign out here and on the server (best effort: the local session ends regardless). */
  async signOut(): Promise<void> {
    this.clearTimer();
    if (this.access) {
      try {
        await this.deps.logout();
      } catch {
        /* the server may be gone or the session already over: forget it locally anyway */
      }
    }
    this.end(null);
  }

  /** Another tab changed the shared refresh token (call from a `storage` event). */
  onStorage(key: string | null, newValue: string | null): void {
    if (key !== REFRESH_KEY && key !== null) return;
    if (newValue === null && this.state.status === 'signed-in') {
      this.end(null); // signed out elsewhere
    } else if (newValue !== null && this.state.status === 'signed-out') {
      void this.refresh(); // signed in elsewhere
    }
  }

  dispose(): void {
    this.clearTimer();
    this.listeners.clear();
  }

  // -- internals --------------------------------------------------------------------------

  private async refreshNow(): Promise<boolean> {
    const token = this.readRefresh();
    if (!token) {
      this.end(this.state.status === 'signed-in' ? 'expired' : null);
      return false;
    }
    try {
      const tokens = await this.deps.refresh(token);
      // Written before anything else, so the next tab to take the lock spends the new one.
      this.writeRefresh(tokens.refresh_token);
      this.apply(tokens);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status < 500 && error.status !== 429) {
        // Another tab rotated it meanwhile (no Web Locks here): use the new one instead.
        const current = this.readRefresh();
        if (current !== null && current !== token) return this.refreshNow();
        this.end(this.state.status === 'starting' ? null : 'expired');
        return false;
      }
      if (this.state.status === 'starting') {
        this.setState({ status: 'signed-out', reason: 'offline' });
      } else {
        this.schedule(RETRY_OFFLINE_MS);
      }
      return false;
    }
  }

  private apply(tokens: Tokens): void {
    this.access = tokens.access_token;
    this.schedule(refreshDelayMs(tokens.expires_in));
    this.setState({ status: 'signed-in', reason: null });
    this.deps.onAccessToken?.(tokens.access_token);
  }

  private end(reason: SessionState['reason']): void {
    this.clearTimer();
    this.access = null;
    this.removeRefresh();
    this.setState({ status: 'signed-out', reason });
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private setState(next: SessionState): void {
    if (next.status === this.state.status && next.reason === this.state.reason) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  private readRefresh(): string | null {
    try {
      return this.storage?.getItem(REFRESH_KEY) ?? null;
    } catch {
      return null;
    }
  }

  private writeRefresh(token: string): void {
    try {
      this.storage?.setItem(REFRESH_KEY, token);
    } catch {
      /* without storage the session lasts as long as this page */
    }
  }

  private removeRefresh(): void {
    try {
      this.storage?.removeItem(REFRESH_KEY);
    } catch {
      /* nothing stored */
    }
  }
}
