import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import type { Session } from '../lib/session';
import { session as appSession } from '../lib/session-instance';
import { SessionContext } from '../lib/use-session';

/**
 * Starts the session (resuming from the stored refresh token), follows sign-ins and
 * sign-outs of other tabs, and forgets every cached answer when the session ends, so the
 * next person at this browser never sees the last one's jobs.
 */
export function AuthProvider({ session = appSession, children }: { session?: Session; children: ReactNode }) {
  const client = useQueryClient();

  useEffect(() => {
    void session.start();
    const onStorage = (event: StorageEvent) => session.onStorage(event.key, event.newValue);
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [session]);

  useEffect(
    () =>
      session.subscribe(() => {
        if (session.getState().status === 'signed-out') client.clear();
      }),
    [session, client],
  );

  return <SessionContext value={session}>{children}</SessionContext>;
}
