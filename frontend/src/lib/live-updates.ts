/**
 * How the app learns that jobs changed on the server.
 *
 * Pushed: one WebSocket per tab (`<LiveUpdatesProvider>`, lib/live-provider.tsx) writes
 * each `job.*` event into the TanStack Query cache, so while it is open nothing polls.
 * While it is down (connecting, reconnecting, or no provider at all) what is still
 * changing is re-fetched every `pollIntervalMs`: a slow safety net, not the main path.
 */
import { createContext, useContext } from 'react';
import type { LiveStatus } from '@/api';
import { env } from '@/config/env';

/** `off`: no live connection in this tree (tests, or a page outside the signed-in app). */
export type LiveState = LiveStatus | 'off';

export const LiveStatusContext = createContext<LiveState>('off');

export function useLiveStatus(): LiveState {
  return useContext(LiveStatusContext);
}

export type LiveInterval<T> = (query: { state: { data: T | undefined } }) => number | false;

/** A query's `refetchInterval`: none while events are pushed, the safety net otherwise. */
export function useLiveRefetchInterval<T>(isLive: (data: T | undefined) => boolean): LiveInterval<T> {
  const pushed = useLiveStatus() === 'open';
  return (query) => (!pushed && isLive(query.state.data) ? env.pollIntervalMs : false);
}
