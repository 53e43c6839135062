import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Session, SessionState } from './session';

export const SessionContext = createContext<Session | null>(null);

export function useSessionObject(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs <AuthProvider> above it.');
  return session;
}

/** The session's state; re-renders on sign-in and sign-out. */
export function useSession(): SessionState {
  const session = useSessionObject();
  return useSyncExternalStore(session.subscribe, session.getState);
}
