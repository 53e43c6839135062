import { useEffect, useRef, useState, type ReactNode } from 'react';
import { LiveConnection, type LiveConnectionOptions, type LiveEvent } from '@/api';
import { LiveStatusContext, type LiveState } from './live-updates';

export interface LiveUpdatesProviderProps {
  /** Connect only while signed in. */
  enabled: boolean;
  onEvent: (event: LiveEvent) => void;
  /** Reload what may have changed unseen (first connection, truncated replay). */
  onResync: () => void;
  /** Tests pass a fake socket factory here. */
  options?: Partial<LiveConnectionOptions>;
  children: ReactNode;
}

/** One live connection for the whole tab; its status is what the queries' polling follows. */
export function LiveUpdatesProvider({ enabled, onEvent, onResync, options, children }: LiveUpdatesProviderProps) {
  const [status, setStatus] = useState<LiveState>('off');
  // The latest handlers, without reconnecting when they change.
  const handlers = useRef({ onEvent, onResync });
  useEffect(() => {
    handlers.current = { onEvent, onResync };
  });
  const extra = useRef(options);

  useEffect(() => {
    if (!enabled || typeof WebSocket === 'undefined') return;
    const connection = new LiveConnection({
      onEvent: (event) => handlers.current.onEvent(event),
      onResync: () => handlers.current.onResync(),
      onStatus: setStatus,
      ...extra.current,
    });
    connection.start();
    const online = () => connection.nudge();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      connection.stop();
      setStatus('off');
    };
  }, [enabled]);

  return <LiveStatusContext value={status}>{children}</LiveStatusContext>;
}
