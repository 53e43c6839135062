import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeSockets, liveEvent } from '@/test/fake-socket';
import { LiveConnection, backoffMs, liveUrl, type LiveConnectionOptions, type LiveEvent } from './live';

function connect(overrides: Partial<LiveConnectionOptions> = {}) {
  const fake = fakeSockets();
  const events: LiveEvent[] = [];
  const statuses: string[] = [];
  const onResync = vi.fn();
  const connection = new LiveConnection({
    url: 'ws://api.test/api/v1/ws',
    onEvent: (event) => events.push(event),
    onResync,
    onStatus: (status) => statuses.push(status),
    getToken: () => Promise.resolve('token-1'),
    refresh: () => Promise.resolve(true),
    createSocket: fake.create,
    random: () => 1, // no jitter: the full delay
    ...overrides,
  });
  connection.start();
  return { connection, fake, events, statuses, onResync };
}

/** Let the connection's awaited token lookup finish. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('LiveConnection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('signs in with the bearer subprotocol, never with the token in the URL', async () => {
    const { fake, statuses, connection } = connect();
    await settle();
    expect(fake.last().url).toBe('ws://api.test/api/v1/ws');
    expect(fake.last().protocols).toEqual(['bearer', 'token-1']);
    expect(statuses).toEqual(['connecting']);
    fake.last().open(41);
    expect(statuses).toEqual(['connecting', 'open']);
    expect(connection.lastEventId).toBe(41);
    connection.stop();
  });

  it('asks to reload what the page has on the first connection, not on a resumed one', async () => {
    const { fake, onResync, connection } = connect();
    await settle();
    fake.last().open(5);
    expect(onResync).toHaveBeenCalledTimes(1);
    fake.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(1000);
    fake.last().open(9);
    expect(onResync).toHaveBeenCalledTimes(1);
    connection.stop();
  });

  it('hands on events in order and remembers the last id', async () => {
    const { fake, events, connection } = connect();
    await settle();
    fake.last().open(10);
    fake.last().message(liveEvent('job.progress', 'j1', { progress: 0.5, speed: 2, eta_s: 4 }, 11));
    fake
      .last()
      .message(liveEvent('job.segment', 'j1', { id: 1, idx: 0, start: 0, end: 1, text: 'Hi', speaker: null }, 12));
    expect(events.map((e) => e.id)).toEqual([11, 12]);
    expect(connection.lastEventId).toBe(12);
    connection.stop();
  });

  it('reconnects with backoff and the last event id, then drops replayed duplicates', async () => {
    const { fake, events, statuses, connection } = connect();
    await settle();
    fake.last().open(10);
    fake.last().message(liveEvent('job.progress', 'j1', { progress: 0.1, speed: null, eta_s: null }, 11));
    fake.last().message(liveEvent('job.progress', 'j1', { progress: 0.2, speed: null, eta_s: null }, 12));

    // The link drops; the next try fails too; the waits double (1 s, then 2 s).
    fake.last().serverClose(1006);
    expect(statuses.at(-1)).toBe('closed');
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sockets).toHaveLength(2);
    expect(fake.last().url).toBe('ws://api.test/api/v1/ws?last_event_id=12');
    fake.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(1999);
    expect(fake.sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sockets).toHaveLength(3);
    expect(fake.last().url).toBe('ws://api.test/api/v1/ws?last_event_id=12');

    // The server replays from 12 on; an event already handled is not handled again.
    fake.last().open(14);
    fake.last().message(liveEvent('job.progress', 'j1', { progress: 0.2, speed: null, eta_s: null }, 12));
    fake.last().message(liveEvent('job.progress', 'j1', { progress: 0.3, speed: null, eta_s: null }, 13));
    fake.last().message(liveEvent('job.progress', 'j1', { progress: 0.4, speed: null, eta_s: null }, 14));
    fake.last().message(liveEvent('job.progress', 'j1', { progress: 0.4, speed: null, eta_s: null }, 14));
    expect(events.map((e) => e.id)).toEqual([11, 12, 13, 14]);

    // A good connection resets the backoff.
    fake.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.sockets).toHaveLength(4);
    expect(fake.last().url).toBe('ws://api.test/api/v1/ws?last_event_id=14');
    connection.stop();
  });

  it('renews the token when the server refuses it (1008), then reconnects', async () => {
    let token = 'old';
    const refresh = vi.fn(() => {
      token = 'new';
      return Promise.resolve(true);
    });
    const { fake, connection } = connect({ getToken: () => Promise.resolve(token), refresh });
    await settle();
    fake.last().serverClose(1008);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.sockets).toHaveLength(2);
    expect(fake.last().protocols).toEqual(['bearer', 'new']);
    expect(refresh).toHaveBeenCalledTimes(1);
    connection.stop();
  });

  it('reloads when the server says the replay was truncated', async () => {
    const { fake, onResync, connection } = connect();
    await settle();
    fake.last().open(3);
    fake.last().serverClose(1013);
    await vi.advanceTimersByTimeAsync(1000);
    fake.last().open(5000);
    fake.last().message({ type: 'replay.truncated', after: 3 });
    expect(onResync).toHaveBeenCalledTimes(2);
    connection.stop();
  });

  it('ignores what it does not understand', async () => {
    const { fake, events, connection } = connect();
    await settle();
    fake.last().open(1);
    fake.last().onmessage?.(new MessageEvent('message', { data: 'not json' }));
    fake.last().message({ type: 'pong' });
    fake.last().message({ id: 2, type: 'session.whatever', job_id: null, data: {} });
    fake.last().message({ id: 'x', type: 'job.progress', data: {} });
    expect(events).toEqual([]);
    connection.stop();
  });

  it('pings, and drops a link that stopped answering', async () => {
    const { fake, connection } = connect({ heartbeatMs: 1000 });
    await settle();
    const first = fake.last();
    first.open(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(first.sent).toEqual([{ type: 'ping' }]);
    // No pong, nothing else either: after 1.5 beats the socket is given up and replaced.
    await vi.advanceTimersByTimeAsync(1000);
    expect(first.closedWith).toBe(4000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.sockets).toHaveLength(2);
    connection.stop();
  });

  it('waits for a token instead of connecting without one', async () => {
    const { fake, connection } = connect({ getToken: () => Promise.resolve(null) });
    await settle();
    expect(fake.sockets).toHaveLength(0);
    connection.stop();
  });

  it('stops for good: no reconnect after stop', async () => {
    const { fake, connection } = connect();
    await settle();
    fake.last().open(1);
    connection.stop();
    expect(fake.last().closedWith).toBe(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.sockets).toHaveLength(1);
  });
});

describe('liveUrl and backoffMs', () => {
  it('uses ws:// or wss:// on the API origin', () => {
    expect(liveUrl('', 'http://localhost:5173')).toBe('ws://localhost:5173/api/v1/ws');
    expect(liveUrl('https://t.example', 'http://localhost')).toBe('wss://t.example/api/v1/ws');
  });

  it('doubles up to a ceiling, with jitter between half and all of it', () => {
    expect(backoffMs(0, 1000, 30_000, () => 1)).toBe(1000);
    expect(backoffMs(3, 1000, 30_000, () => 1)).toBe(8000);
    expect(backoffMs(10, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffMs(10, 1000, 30_000, () => 0)).toBe(15_000);
  });
});

describe('LiveConnection: renewals and uploads', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('token renewal on the open socket', () => {
    function withRenewals() {
      const listeners = new Set<(token: string) => void>();
      const subscribeToken = (listener: (token: string) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      };
      const renew = (token: string) => listeners.forEach((listener) => listener(token));
      return { subscribeToken, renew, listeners };
    }

    it('sends the new token as an auth message and keeps the socket', async () => {
      const renewals = withRenewals();
      const { fake, connection, statuses } = connect({ subscribeToken: renewals.subscribeToken });
      await settle();
      fake.last().open(1);
      renewals.renew('token-2');
      expect(fake.last().sent).toContainEqual({ type: 'auth', token: 'token-2' });
      fake.last().message({ type: 'authenticated', expires_at: '2026-11-27T04:00:00+00:00' });
      renewals.renew('token-2'); // the same one again: nothing new to say
      expect(fake.last().sent.filter((m) => (m as { type: string }).type === 'auth')).toHaveLength(1);
      expect(fake.sockets).toHaveLength(1);
      expect(fake.last().closedWith).toBeNull();
      expect(statuses.at(-1)).toBe('open');
      connection.stop();
      expect(renewals.listeners.size).toBe(0);
    });

    it('a token renewed while signing in is sent once the socket is ready', async () => {
      const renewals = withRenewals();
      const { fake, connection } = connect({ subscribeToken: renewals.subscribeToken });
      await settle();
      renewals.renew('token-2'); // the socket is still connecting with token-1
      expect(fake.last().sent).toEqual([]);
      fake.last().open(1);
      expect(fake.last().sent).toContainEqual({ type: 'auth', token: 'token-2' });
      connection.stop();
    });

    it('when the server refuses the new token, starts over with a fresh socket', async () => {
      const renewals = withRenewals();
      let token = 'token-1';
      const { fake, connection } = connect({
        subscribeToken: renewals.subscribeToken,
        getToken: () => Promise.resolve(token),
      });
      await settle();
      fake.last().open(7);
      token = 'token-2';
      renewals.renew('token-2');
      fake.last().message({ type: 'error', detail: "That credential is another account's." });
      expect(fake.sockets[0]?.closedWith).toBe(4001);
      await vi.advanceTimersByTimeAsync(1000);
      expect(fake.sockets).toHaveLength(2);
      expect(fake.last().protocols).toEqual(['bearer', 'token-2']);
      expect(fake.last().url).toContain('last_event_id=7');
      connection.stop();
    });

    it('an error that answers no auth message changes nothing', async () => {
      const renewals = withRenewals();
      const { fake, connection } = connect({ subscribeToken: renewals.subscribeToken });
      await settle();
      fake.last().open(1);
      fake.last().message({ type: 'error', detail: 'Unknown message.' });
      expect(fake.last().closedWith).toBeNull();
      connection.stop();
    });
  });

  it('hands on upload.progress events (other tabs show them)', async () => {
    const { fake, events, connection } = connect();
    await settle();
    fake.last().open(1);
    fake.last().message({
      id: 2,
      type: 'upload.progress',
      job_id: null,
      created_at: '2026-11-27T03:40:00+00:00',
      data: { upload_id: 'u1', filename: 'a.wav', offset: 10, length: 20, status: 'receiving' },
    });
    expect(events.map((event) => event.type)).toEqual(['upload.progress']);
    connection.stop();
  });
});
