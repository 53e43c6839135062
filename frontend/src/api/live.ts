/**
 * The live event stream, `WS /api/v1/ws` (docs/api.md, "Live events"), outside React.
 *
 * One `LiveConnection` per tab. It signs in with the `bearer` subprotocol (the token never
 * goes in the URL), remembers the id of the last event it handed on, and when the socket
 * drops it reconnects with backoff and `?last_event_id=`, so the server replays what was
 * missed. Events at or below that id are dropped: no event is handled twice. When the
 * client cannot know what it missed (the first connection, a truncated replay), it asks
 * its owner to reload from REST (`onResync`).
 */
import { env } from '@/config/env';
import { currentToken, onTokenRenewed, refreshAfterUnauthorized } from './auth';
import type { JobStatus } from './types';

interface EventOf<T extends string, D> {
  id: number;
  type: T;
  job_id: string | null;
  created_at: string;
  data: D;
}

export interface LiveSegment {
  id: number;
  idx: number;
  start: number;
  end: number;
  text: string;
  speaker: string | null;
}

export type LiveEvent =
  | EventOf<'job.created', { status: JobStatus; filename: string; duration_s: number | null; model: string }>
  | EventOf<'job.queued', { status: 'queued'; reason: string; attempts: number; retry_at: string | null }>
  | EventOf<'job.progress', { progress: number; speed: number | null; eta_s: number | null }>
  | EventOf<'job.segment', LiveSegment>
  | EventOf<'job.completed', { status: 'completed'; partial: boolean }>
  | EventOf<'job.cancelled', { status: 'cancelled'; partial: boolean }>
  | EventOf<'job.failed', { status: 'failed'; partial: boolean; error: string }>
  | EventOf<'upload.progress', UploadProgressData>;

/** A resumable upload moved on (after each PATCH), in this tab or another one. */
export interface UploadProgressData {
  upload_id: string;
  filename: string;
  offset: number;
  length: number;
  status: 'receiving' | 'completed' | 'rejected';
}

export type LiveEventType = LiveEvent['type'];

const EVENT_TYPES: ReadonlySet<string> = new Set<LiveEventType>([
  'job.created',
  'job.queued',
  'job.progress',
  'job.segment',
  'job.completed',
  'job.cancelled',
  'job.failed',
  'upload.progress',
]);

/** `connecting` until the server said `ready`; `closed` while waiting to reconnect. */
export type LiveStatus = 'connecting' | 'open' | 'closed';

/** The socket as the connection uses it: the browser's WebSocket fits, and so does a fake. */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  readonly readyState: number;
  send: (data: string) => void;
  close: (code?: number, reason?: string) => void;
}

export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface LiveConnectionOptions {
  onEvent: (event: LiveEvent) => void;
  /** What happened while not connected is unknown: reload the cached server state. */
  onResync: () => void;
  onStatus?: (status: LiveStatus) => void;
  /** Default: `/api/v1/ws` on the API's origin, ws:// or wss:// to match. */
  url?: string;
  getToken?: () => Promise<string | null>;
  /** Asked when the server refused the credential (1008); true when a new token is there. */
  refresh?: () => Promise<boolean>;
  /** Hear of renewed access tokens, to send them on the open socket (`{"type": "auth"}`). */
  subscribeToken?: (listener: (token: string) => void) => () => void;
  createSocket?: SocketFactory;
  /** First wait before reconnecting; it doubles each failed attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A ping this often; no answer (or any message) within the same time closes the socket. */
  heartbeatMs?: number;
  random?: () => number;
}

export const POLICY_VIOLATION = 1008;
const OPEN = 1;

export function liveUrl(apiBaseUrl: string = env.apiBaseUrl, origin: string = window.location.origin): string {
  const url = new URL('/api/v1/ws', apiBaseUrl || origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Reconnect delay for the n-th failed attempt (0-based): exponential, capped, with jitter. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + random() / 2));
}

function parse(raw: unknown): Record<string, unknown> | null {
  if (typeof raw !== 'string') return null;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function isEvent(message: Record<string, unknown>): message is Record<string, unknown> & LiveEvent {
  return (
    typeof message.id === 'number' &&
    typeof message.type === 'string' &&
    EVENT_TYPES.has(message.type) &&
    typeof message.data === 'object' &&
    message.data !== null
  );
}

export class LiveConnection {
  private socket: SocketLike | null = null;
  private lastId: number | null = null;
  private attempt = 0;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private heardFrom = 0;
  private status: LiveStatus = 'closed';
  /** The credential the current socket last signed in with, and the newest one known. */
  private socketToken: string | null = null;
  private latestToken: string | null = null;
  /** An `auth` message was sent and not answered yet. */
  private awaitingAuth = false;
  private unsubscribeToken: (() => void) | null = null;
  private readonly opts: Required<Omit<LiveConnectionOptions, 'onStatus' | 'url'>> &
    Pick<LiveConnectionOptions, 'onStatus' | 'url'>;

  constructor(options: LiveConnectionOptions) {
    this.opts = {
      getToken: currentToken,
      refresh: refreshAfterUnauthorized,
      subscribeToken: onTokenRenewed,
      createSocket: (url, protocols) => new WebSocket(url, protocols),
      baseDelayMs: 1_000,
      maxDelayMs: 30_000,
      heartbeatMs: 25_000,
      random: Math.random,
      ...options,
    };
  }

  /** The id of the last event handed on (null before the first `ready`). */
  get lastEventId(): number | null {
    return this.lastId;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribeToken = this.opts.subscribeToken((token) => this.renewed(token));
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribeToken?.();
    this.unsubscribeToken = null;
    clearTimeout(this.retryTimer);
    this.detach()?.close(1000, 'Page closed');
    this.setStatus('closed');
  }

  /** The network is back (the browser's `online`): reconnect now instead of after the wait. */
  nudge(): void {
    if (this.stopped || this.socket !== null) return;
    clearTimeout(this.retryTimer);
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.setStatus('connecting');
    const token = await this.opts.getToken();
    if (this.stopped) return;
    if (!token) {
      this.scheduleReconnect();
      return;
    }
    const base = this.opts.url ?? liveUrl();
    const url = this.lastId === null ? base : `${base}?last_event_id=${this.lastId}`;
    let socket: SocketLike;
    try {
      socket = this.opts.createSocket(url, ['bearer', token]);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.socketToken = token;
    this.awaitingAuth = false;
    this.heardFrom = Date.now();
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => this.closed(socket, event.code);
    socket.onerror = () => undefined; // a close event follows
  }

  private receive(raw: unknown): void {
    this.heardFrom = Date.now();
    const message = parse(raw);
    if (message === null) return;
    if (message.type === 'ready') {
      this.attempt = 0;
      this.startHeartbeat();
      this.setStatus('open');
      // Renewed while this socket was signing in with the one before.
      if (this.latestToken !== null && this.latestToken !== this.socketToken) this.sendAuth(this.latestToken);
      if (this.lastId === null) {
        // Nothing to resume from: what the page loaded may already be behind.
        this.lastId = typeof message.last_event_id === 'number' ? message.last_event_id : 0;
        this.opts.onResync();
      }
      return;
    }
    if (message.type === 'authenticated') {
      this.awaitingAuth = false;
      return;
    }
    if (message.type === 'error' && this.awaitingAuth) {
      // The new token was refused (another account's, say): start over with a fresh socket.
      this.awaitingAuth = false;
      this.detach()?.close(4001, 'Credential renewal refused');
      this.scheduleReconnect();
      return;
    }
    if (message.type === 'replay.truncated') {
      this.opts.onResync();
      return;
    }
    if (!isEvent(message)) return; // pong, errors, types this app does not know
    if (this.lastId !== null && message.id <= this.lastId) return; // already handled
    this.lastId = message.id;
    this.opts.onEvent(message);
  }

  /** A new access token: tell the open socket, so the server keeps it past the old one's end. */
  private renewed(token: string): void {
    this.latestToken = token;
    if (this.status === 'open' && token !== this.socketToken) this.sendAuth(token);
  }

  private sendAuth(token: string): void {
    const socket = this.socket;
    if (socket?.readyState !== OPEN) return;
    socket.send(JSON.stringify({ type: 'auth', token }));
    this.socketToken = token;
    this.awaitingAuth = true;
  }

  private closed(socket: SocketLike, code: number): void {
    if (socket !== this.socket) return;
    this.detach();
    if (this.stopped) return;
    this.setStatus('closed');
    if (code === POLICY_VIOLATION) {
      // Most often an access token that expired while the tab slept: renew it, then retry.
      void this.opts.refresh().finally(() => this.scheduleReconnect());
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setStatus('closed');
    clearTimeout(this.retryTimer);
    const delay = backoffMs(this.attempt, this.opts.baseDelayMs, this.opts.maxDelayMs, this.opts.random);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private startHeartbeat(): void {
    clearInterval(this.heartbeat);
    const every = this.opts.heartbeatMs;
    this.heartbeat = setInterval(() => {
      const socket = this.socket;
      if (socket === null) return;
      if (Date.now() - this.heardFrom > 1.5 * every) {
        // A half-open link (a phone that changed networks) may never fire `close`.
        this.detach()?.close(4000, 'No answer to ping');
        this.setStatus('closed');
        this.scheduleReconnect();
        return;
      }
      if (socket.readyState === OPEN) socket.send(JSON.stringify({ type: 'ping' }));
    }, every);
  }

  /** Forget the current socket (its late events are ignored) and return it. */
  private detach(): SocketLike | null {
    clearInterval(this.heartbeat);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
    }
    return socket;
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.opts.onStatus?.(status);
  }
}
