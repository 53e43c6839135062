import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState, type ReactNode } from 'react';
import type { LiveEvent } from '@/api';
import { ToastProvider } from '@/components';
import { AuthProvider, useMe, useSession } from '@/features/auth';
import { applyJobEvent, invalidateJobs } from '@/features/jobs';
import { applyTranscriptEvent, transcriptKeys } from '@/features/transcripts';
import { UploadProvider, applyUploadEvent } from '@/features/upload';
import { LiveUpdatesProvider } from '@/lib/live-provider';
import { makeQueryClient } from './query-client';

/** Features meet here: a finished upload refreshes the job list; uploads are remembered per person. */
function Uploads({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const owner = useMe().data?.id ?? null;
  return (
    <UploadProvider owner={owner} onJobCreated={() => void invalidateJobs(client)}>
      {children}
    </UploadProvider>
  );
}

/** One live connection while signed in; each event goes to the features that cache it. */
function Live({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const signedIn = useSession().status === 'signed-in';
  const onEvent = useCallback(
    (event: LiveEvent) => {
      applyJobEvent(client, event);
      applyTranscriptEvent(client, event);
      applyUploadEvent(client, event);
    },
    [client],
  );
  const onResync = useCallback(() => {
    void invalidateJobs(client);
    void client.invalidateQueries({ queryKey: transcriptKeys.all });
  }, [client]);
  return (
    <LiveUpdatesProvider enabled={signedIn} onEvent={onEvent} onResync={onResync}>
      {children}
    </LiveUpdatesProvider>
  );
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      <AuthProvider>
        <Live>
          <ToastProvider>
            <Uploads>{children}</Uploads>
          </ToastProvider>
        </Live>
      </AuthProvider>
    </QueryClientProvider>
  );
}
