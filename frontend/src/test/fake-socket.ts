/** A hand-written stand-in for the browser's WebSocket, driven by the test as the server. */
import type { SocketFactory, SocketLike } from '@/api';

export class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readyState = 0;
  readonly sent: unknown[] = [];
  closedWith: number | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  // -- the server's side ------------------------------------------------------------------

  open(lastEventId = 0): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
    this.message({ type: 'ready', last_event_id: lastEventId });
  }

  message(payload: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(payload) }));
  }

  serverClose(code = 1006): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code }));
  }
}

/** A factory that records every socket it made, newest last. */
export function fakeSockets(): { create: SocketFactory; sockets: FakeSocket[]; last: () => FakeSocket } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    create: (url, protocols) => {
      const socket = new FakeSocket(url, protocols);
      sockets.push(socket);
      return socket;
    },
    last: () => {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('No socket was opened.');
      return socket;
    },
  };
}

let nextId = 1000;

/** A `job.*` event as the server sends it. */
export function liveEvent(type: string, jobId: string, data: Record<string, unknown>, id = ++nextId) {
  return { id, type, job_id: jobId, created_at: '2026-11-27T03:40:00.123456+00:00', data };
}
