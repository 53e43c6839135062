/**
 * How the app learns that jobs changed on the server.
 *
 * Today: polling, every `pollIntervalMs` while something is queued or running, and not
 * at all otherwise. When the WebSocket `/api/v1/ws` lands, its `job.*` events will
 * update or invalidate the TanStack Query cache, and this returns `false` (or a slow
 * safety net) instead: callers do not change.
 */
import { env } from '@/config/env';

export type LiveInterval<T> = (query: { state: { data: T | undefined } }) => number | false;

export function liveRefetchInterval<T>(isLive: (data: T | undefined) => boolean): LiveInterval<T> {
  return (query) => (isLive(query.state.data) ? env.pollIntervalMs : false);
}
